package dev.modelseal.keys;

import dev.modelseal.InvalidInputException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;

/**
 * A private key of a supported type, with its public key, that signs with its {@link
 * SignatureAlgorithm}. Signing is done by the JDK's providers. Obtain one from {@link
 * PemFiles#readPrivateKey}, or {@link #external} for a key in a token or KMS (the private key never
 * enters this process then). {@link #toString()} names the algorithm only.
 */
public final class SigningKey {
  private final PrivateKey key;
  private final ExternalSigner external;
  private final VerificationKey publicKey;

  private SigningKey(PrivateKey key, ExternalSigner external, VerificationKey publicKey) {
    this.key = key;
    this.external = external;
    this.publicKey = publicKey;
  }

  /**
   * A signing key; {@code publicKey} must be the key's own public key.
   *
   * @throws InvalidInputException when a test signature does not verify with {@code publicKey}
   */
  public static SigningKey of(PrivateKey key, VerificationKey publicKey)
      throws InvalidInputException {
    SigningKey k =
        new SigningKey(Objects.requireNonNull(key), null, Objects.requireNonNull(publicKey));
    return probed(k);
  }

  /**
   * A signing key held outside the JDK (a PKCS#11 token, a KMS): {@code signer} makes the
   * signatures of {@code publicKey}'s {@link SignatureAlgorithm}, in the same encoding the JDK
   * makes them (DER for ECDSA). A test signature is made and verified with {@code publicKey} first,
   * so that a key pair mismatch or an unusable token fails here rather than after hashing.
   *
   * @throws InvalidInputException when the test signature fails or does not verify
   */
  public static SigningKey external(VerificationKey publicKey, ExternalSigner signer)
      throws InvalidInputException {
    SigningKey k =
        new SigningKey(null, Objects.requireNonNull(signer), Objects.requireNonNull(publicKey));
    try {
      return probed(k);
    } catch (IllegalStateException e) {
      throw new InvalidInputException(null, e.getMessage());
    }
  }

  private static SigningKey probed(SigningKey k) throws InvalidInputException {
    byte[] probe = "modelseal key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      k.publicKey.verify(probe, k.sign(probe));
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
    if (external != null) {
      try {
        return external.sign(a, data);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the key's holder refused to sign: " + e.getMessage(), e);
      }
    }
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
