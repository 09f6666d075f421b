package dev.modelseal.oms;

import dev.modelseal.IntegrityException;
import java.nio.file.Path;

/**
 * A signature bundle was refused: it is malformed, of another method, signed by another key, or its
 * certificate chain is not trusted. {@link #failure()} says which check failed; the message says it
 * in words. (A model that does not match a valid signature raises {@link
 * dev.modelseal.pin.ModelMismatchException} instead.)
 */
public final class SignatureVerificationException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /** Which check failed. */
  public enum Failure {
    /** Not a JSON bundle, or a field has the wrong type or encoding. */
    MALFORMED_BUNDLE,
    /** Larger than the reader's limit. */
    BUNDLE_TOO_LARGE,
    /** The bundle's {@code mediaType} is not a Sigstore bundle's. */
    WRONG_MEDIA_TYPE,
    /** No {@code verificationMaterial}. */
    MISSING_VERIFICATION_MATERIAL,
    /** No {@code dsseEnvelope}. */
    MISSING_ENVELOPE,
    /** A keyless bundle without transparency log entries. */
    MISSING_TLOG_ENTRIES,
    /** The envelope's {@code payloadType} is not in-toto's. */
    WRONG_PAYLOAD_TYPE,
    /** The payload is not a well-formed statement. */
    MALFORMED_STATEMENT,
    /** The statement's {@code _type} is not in-toto Statement v1. */
    WRONG_STATEMENT_TYPE,
    /** The {@code predicateType} is not OMS's. */
    WRONG_PREDICATE_TYPE,
    /** No subject, or several. */
    WRONG_SUBJECT_COUNT,
    /** The predicate lists no resource. */
    EMPTY_RESOURCES,
    /** A resource name that is not a safe relative path. */
    BAD_RESOURCE_NAME,
    /** A resource listed twice. */
    DUPLICATE_RESOURCE,
    /** A hash algorithm or serialization method not supported. */
    UNSUPPORTED_ALGORITHM,
    /** The subject's digest is not the root of the listed resources. */
    ROOT_MISMATCH,
    /** The bundle's verification material is of another method than the one asked for. */
    WRONG_METHOD,
    /** The bundle names another key than the one given. */
    KEY_MISMATCH,
    /** The key in the bundle's certificate is not supported. */
    UNSUPPORTED_KEY,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** The certificate chain does not lead to a trust anchor. */
    UNTRUSTED_CHAIN,
    /** The leaf certificate has expired. */
    CERTIFICATE_EXPIRED,
    /** The leaf certificate is not valid yet. */
    CERTIFICATE_NOT_YET_VALID,
    /** The leaf certificate may not sign (no digitalSignature key usage, no codeSigning EKU). */
    CERTIFICATE_USAGE;

    /**
     * True when the file is not a usable signature bundle at all (empty, not JSON, too large, not a
     * Sigstore bundle with a DSSE envelope of an in-toto statement), or asks for an algorithm, key
     * type or method this verifier cannot check: the check could not be carried out, which the
     * command-line tool reports with exit code 2 rather than as a refused model. Every other
     * failure is a well-formed signature that does not approve this model.
     */
    public boolean unusableInput() {
      switch (this) {
        case MALFORMED_BUNDLE:
        case BUNDLE_TOO_LARGE:
        case WRONG_MEDIA_TYPE:
        case MISSING_VERIFICATION_MATERIAL:
        case MISSING_ENVELOPE:
        case WRONG_PAYLOAD_TYPE:
        case UNSUPPORTED_ALGORITHM:
        case UNSUPPORTED_KEY:
        case WRONG_METHOD:
          return true;
        default:
          return false;
      }
    }
  }

  private final Failure failure;

  /** Creates a refusal of {@code signature} for {@code failure}. */
  public SignatureVerificationException(Path signature, Failure failure, String reason) {
    super(signature, reason);
    this.failure = failure;
  }

  /** Which check failed. */
  public Failure failure() {
    return failure;
  }
}
