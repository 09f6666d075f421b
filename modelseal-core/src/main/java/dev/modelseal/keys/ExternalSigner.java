package dev.modelseal.keys;

import java.security.GeneralSecurityException;

/**
 * Makes signatures with a private key that stays outside this process (a PKCS#11 token, a cloud
 * KMS). Implementations sign exactly as the JDK would with the same algorithm: for ECDSA a DER
 * {@code SEQUENCE {r, s}} over the scheme's hash of {@code data}; for RSA PKCS#1 v1.5 over the
 * SHA-256 {@code DigestInfo}. Messages of their exceptions must not contain key material or PINs.
 */
@FunctionalInterface
public interface ExternalSigner {
  /**
   * Signs {@code data} with {@code algorithm}.
   *
   * @throws GeneralSecurityException when the key's holder refuses or fails
   */
  byte[] sign(SignatureAlgorithm algorithm, byte[] data) throws GeneralSecurityException;
}
