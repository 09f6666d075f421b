package dev.modelseal.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.oms.KeylessVerification;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.oms.TrustPolicy;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.strings.StringMatcher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SignatureException;
import java.util.HexFormat;

/**
 * The {@link KeylessVerification} of {@link TrustPolicy.Keyless}, by sigstore-java, offline
 * (registered as a {@link java.util.ServiceLoader} service; the core finds it there).
 *
 * <p>Order of checks: the bundle as sigstore-java reads it; the DSSE signature over the exact
 * payload bytes with the leaf certificate's key (JDK), so that an edited payload fails here as a
 * bad signature before anything of it is read; then, with the (now signed) statement's subject
 * digest as the artifact digest, sigstore-java's keyless verification against the trusted root:
 * certificate chain to the trusted root's Fulcio CA, certificate transparency, transparency-log
 * inclusion, timestamps, and the certificate's identity and issuer, matched exactly.
 */
public final class SigstoreKeylessVerification implements KeylessVerification {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** For {@link java.util.ServiceLoader}. */
  public SigstoreKeylessVerification() {}

  @Override
  public void checkTrustedRoot(TrustPolicy.Keyless policy) throws ModelsealException {
    verifier(policy);
  }

  @Override
  public void verify(TrustPolicy.Keyless policy, byte[] bundle, Envelope envelope, Path source)
      throws ModelsealException {
    KeylessVerifier verifier = verifier(policy);
    Bundle parsed;
    try {
      parsed =
          Bundle.from(
              new InputStreamReader(new ByteArrayInputStream(bundle), StandardCharsets.UTF_8));
    } catch (BundleParseException | RuntimeException e) {
      throw new SignatureVerificationException(
          source, Failure.MALFORMED_BUNDLE, "not a Sigstore bundle: " + e.getMessage());
    }
    VerificationKey leaf;
    try {
      leaf = VerificationKey.of(parsed.getCertPath().getCertificates().get(0).getPublicKey());
    } catch (InvalidInputException e) {
      throw new SignatureVerificationException(source, Failure.UNSUPPORTED_KEY, e.reason());
    }
    try {
      leaf.verify(envelope.pae(), envelope.signatures().get(0).sig());
    } catch (SignatureException e) {
      throw new SignatureVerificationException(
          source,
          Failure.BAD_SIGNATURE,
          "the signature does not verify with the certificate's key");
    }
    byte[] subject = subjectDigest(envelope.payload(), source);
    try {
      verifier.verify(subject, parsed, options(policy));
    } catch (KeylessVerificationException e) {
      throw new SignatureVerificationException(
          source, Failure.BAD_SIGNATURE, "keyless verification failed: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new SignatureVerificationException(
          source, Failure.BAD_SIGNATURE, "keyless verification failed: " + e);
    }
  }

  private static KeylessVerifier verifier(TrustPolicy.Keyless policy) throws InvalidInputException {
    try {
      return KeylessVerifier.builder()
          .trustedRootProvider(TrustedRootProvider.from(policy.trustedRoot()))
          .build();
    } catch (Exception e) { // sigstore-java throws several checked and unchecked types here
      throw new InvalidInputException(
          policy.trustedRoot(), "unusable trusted root: " + e.getMessage(), e);
    }
  }

  private static VerificationOptions options(TrustPolicy.Keyless policy) {
    return VerificationOptions.builder()
        .addCertificateMatchers(
            VerificationOptions.CertificateMatcher.fulcio()
                .subjectAlternativeName(StringMatcher.string(policy.identity()))
                .issuer(StringMatcher.string(policy.issuer()))
                .build())
        .build();
  }

  /**
   * The first subject's SHA-256 digest of the signed payload: the artifact digest sigstore-java
   * matches the statement against. The statement's structure is read strictly by the core later.
   */
  private static byte[] subjectDigest(byte[] payload, Path source)
      throws SignatureVerificationException {
    try {
      JsonNode hex = JSON.readTree(payload).path("subject").path(0).path("digest").path("sha256");
      if (hex.isTextual() && hex.textValue().length() == 64) {
        return HexFormat.of().parseHex(hex.textValue());
      }
    } catch (IOException | IllegalArgumentException e) {
      // reported below
    }
    throw new SignatureVerificationException(
        source, Failure.MALFORMED_STATEMENT, "the statement has no subject[0].digest.sha256");
  }
}
