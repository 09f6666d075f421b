package dev.modelseal.keys;

import dev.modelseal.InvalidInputException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;

/**
 * A private key of a supported type, with its public key, that signs with its {@link
 * SignatureAlgorithm}. Signing is done by the JDK's providers. Obtain one from {@link
 * PemFiles#readPrivateKey}.
 */
public final class SigningKey {
  private final PrivateKey key;
  private final VerificationKey publicKey;

  private SigningKey(PrivateKey key, VerificationKey publicKey) {
    this.key = key;
    this.publicKey = publicKey;
  }

  /**
   * A signing key; {@code publicKey} must be the key's own public key.
   *
   * @throws InvalidInputException when a test signature does not verify with {@code publicKey}
   */
  public static SigningKey of(PrivateKey key, VerificationKey publicKey)
      throws InvalidInputException {
    SigningKey k = new SigningKey(Objects.requireNonNull(key), Objects.requireNonNull(publicKey));
    byte[] probe = "modelseal key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      publicKey.verify(probe, k.sign(probe));
    } catch (java.security.SignatureException e) {
      throw new InvalidInputException(null, "the private key does not match its public key");
    }
    return k;
  }

  /** The public key. */
  public VerificationKey verificationKey() {
    return publicKey;
  }

  /** The scheme this key signs with. */
  public SignatureAlgorithm algorithm() {
    return publicKey.algorithm();
  }

  /**
   * Signs {@code data}: ECDSA (DER), Ed25519ph, or RSA PKCS#1 v1.5 with SHA-256.
   *
   * @throws IllegalStateException when the JDK refuses (it supports every accepted key type)
   */
  public byte[] sign(byte[] data) {
    SignatureAlgorithm a = publicKey.algorithm();
    try {
      Signature s = Signature.getInstance(a.jcaName());
      if (a == SignatureAlgorithm.ED25519) {
        s.setParameter(a.edDsaPrehash());
      }
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot sign with " + a + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[" + publicKey.algorithm() + "]";
  }
}
