package dev.modelseal.oms;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.dsse.Envelope;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The service that verifies the signature of keyless (Sigstore) bundles for {@link
 * TrustPolicy.Keyless}: {@code modelseal-sigstore} provides it (through {@link ServiceLoader}), so
 * that the core does not depend on sigstore-java. It checks the signature only; {@link OmsVerifier}
 * reads the statement afterwards and is the only maker of {@link VerifiedStatement}.
 *
 * <p>An implementation must return only when the DSSE signature over the envelope's payload bytes
 * verifies with the bundle's leaf certificate, the certificate chains to the trusted root's
 * certificate authority, the transparency log entry is valid under the trusted root, and the
 * certificate names exactly the policy's identity and issuer; otherwise it throws {@link
 * SignatureVerificationException} ({@code BAD_SIGNATURE} for a signature that does not verify).
 */
public interface KeylessVerification {
  /**
   * Loads the policy's trusted root, so that a caller can report an unusable one before reading a
   * model.
   *
   * @throws InvalidInputException when the trusted root cannot be used
   */
  void checkTrustedRoot(TrustPolicy.Keyless policy) throws ModelsealException;

  /**
   * Verifies a keyless bundle's signature (see the class comment).
   *
   * @param bundle the bundle's bytes as read (already parsed by {@link OmsBundle})
   * @param envelope its DSSE envelope
   * @param source the bundle file, for messages
   */
  void verify(TrustPolicy.Keyless policy, byte[] bundle, Envelope envelope, Path source)
      throws ModelsealException;

  /**
   * The installed implementation.
   *
   * @throws InvalidInputException when none is on the class path (add {@code modelseal-sigstore})
   */
  static KeylessVerification installed() throws InvalidInputException {
    Iterator<KeylessVerification> it =
        ServiceLoader.load(KeylessVerification.class, KeylessVerification.class.getClassLoader())
            .iterator();
    if (!it.hasNext()) {
      throw new InvalidInputException(
          null, "keyless verification needs modelseal-sigstore on the class path");
    }
    return it.next();
  }
}
