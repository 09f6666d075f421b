package dev.modelseal.keys;

import dev.modelseal.InvalidInputException;
import dev.modelseal.digest.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A public key of a supported type with the scheme it verifies ({@link SignatureAlgorithm}).
 * Immutable. Verification is done by the JDK's providers and throws on an invalid signature (there
 * is no boolean result to forget to check). Not checked: who the key belongs to.
 */
public final class VerificationKey {
  private final PublicKey key;
  private final SignatureAlgorithm algorithm;

  private VerificationKey(PublicKey key, SignatureAlgorithm algorithm) {
    this.key = key;
    this.algorithm = algorithm;
  }

  /**
   * The verification key for a JDK public key (for example a certificate's).
   *
   * @throws InvalidInputException when the key type is not supported
   */
  public static VerificationKey of(PublicKey key) throws InvalidInputException {
    return of(SubjectPublicKeyInfo.getInstance(key.getEncoded()), null);
  }

  /**
   * The verification key for a JDK public key, decided with the JDK alone (no Bouncy Castle, whose
   * signed jar costs a noticeable part of a second to load): EC keys on P-256, P-384 or P-521,
   * Ed25519 and RSA keys of at least {@link SignatureAlgorithm#MIN_RSA_BITS} bits.
   *
   * @return empty when the key is of another type or curve (the caller then reports it)
   */
  static java.util.Optional<VerificationKey> ofJdk(PublicKey key) {
    if (key instanceof java.security.interfaces.ECPublicKey ec) {
      for (SignatureAlgorithm a :
          new SignatureAlgorithm[] {
            SignatureAlgorithm.ECDSA_P256_SHA256,
            SignatureAlgorithm.ECDSA_P384_SHA384,
            SignatureAlgorithm.ECDSA_P521_SHA512
          }) {
        if (sameCurve(ec.getParams(), a)) {
          return java.util.Optional.of(new VerificationKey(key, a));
        }
      }
      return java.util.Optional.empty();
    }
    if (key instanceof java.security.interfaces.EdECPublicKey ed
        && "Ed25519".equals(ed.getParams().getName())) {
      return java.util.Optional.of(new VerificationKey(key, SignatureAlgorithm.ED25519));
    }
    if (key instanceof RSAPublicKey rsa
        && rsa.getModulus().bitLength() >= SignatureAlgorithm.MIN_RSA_BITS) {
      return java.util.Optional.of(new VerificationKey(key, SignatureAlgorithm.RSA_PKCS1_SHA256));
    }
    return java.util.Optional.empty();
  }

  private static boolean sameCurve(
      java.security.spec.ECParameterSpec p, SignatureAlgorithm candidate) {
    String name =
        switch (candidate) {
          case ECDSA_P256_SHA256 -> "secp256r1";
          case ECDSA_P384_SHA384 -> "secp384r1";
          default -> "secp521r1";
        };
    try {
      java.security.AlgorithmParameters ap = java.security.AlgorithmParameters.getInstance("EC");
      ap.init(new java.security.spec.ECGenParameterSpec(name));
      java.security.spec.ECParameterSpec named =
          ap.getParameterSpec(java.security.spec.ECParameterSpec.class);
      return named.getCurve().equals(p.getCurve())
          && named.getGenerator().equals(p.getGenerator())
          && named.getOrder().equals(p.getOrder())
          && named.getCofactor() == p.getCofactor();
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  static VerificationKey of(SubjectPublicKeyInfo spki, Path source) throws InvalidInputException {
    SignatureAlgorithm a = algorithmOf(spki, source);
    PublicKey k = BcPem.jdkPublicKey(spki, a, source);
    if (a == SignatureAlgorithm.RSA_PKCS1_SHA256
        && ((RSAPublicKey) k).getModulus().bitLength() < SignatureAlgorithm.MIN_RSA_BITS) {
      throw new InvalidInputException(
          source, "RSA key shorter than " + SignatureAlgorithm.MIN_RSA_BITS + " bits");
    }
    return new VerificationKey(k, a);
  }

  private static SignatureAlgorithm algorithmOf(SubjectPublicKeyInfo spki, Path source)
      throws InvalidInputException {
    String oid = spki.getAlgorithm().getAlgorithm().getId();
    switch (oid) {
      case SignatureAlgorithm.EC_OID -> {
        if (spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) {
          SignatureAlgorithm a = SignatureAlgorithm.forCurve(curve.getId());
          if (a != null) {
            return a;
          }
          throw new InvalidInputException(
              source, "unsupported EC curve " + curve.getId() + " (P-256, P-384, P-521 are)");
        }
        throw new InvalidInputException(source, "EC key without a named curve");
      }
      case SignatureAlgorithm.ED25519_OID -> {
        return SignatureAlgorithm.ED25519;
      }
      case SignatureAlgorithm.RSA_OID -> {
        return SignatureAlgorithm.RSA_PKCS1_SHA256;
      }
      default ->
          throw new InvalidInputException(
              source,
              "unsupported key type "
                  + oid
                  + " (EC P-256/P-384/P-521, Ed25519 and RSA are supported)");
    }
  }

  /** The JDK key. */
  public PublicKey publicKey() {
    return key;
  }

  /** The scheme this key verifies. */
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The DER SubjectPublicKeyInfo. */
  public byte[] encoded() {
    return key.getEncoded();
  }

  /** The canonical PEM text of the key ({@link PemFiles#publicKeyPem}). */
  public String pem() {
    return PemFiles.publicKeyPem(key);
  }

  /**
   * The OMS key hint: the lowercase hex SHA-256 of {@link #pem()} (of the PEM text, not of the DER,
   * as the Python reference and the Go client compute it).
   */
  public String hint() {
    return HexFormat.of()
        .formatHex(HashAlgorithm.SHA256.hash(pem().getBytes(StandardCharsets.US_ASCII)));
  }

  /** True when this key is the same key as {@code other} (same DER, constant-time comparison). */
  public boolean sameKey(VerificationKey other) {
    return MessageDigest.isEqual(encoded(), other.encoded());
  }

  /**
   * Verifies {@code sig} over {@code data} with this key's scheme; returns only when the signature
   * is valid. For Ed25519 both Ed25519ph and pure Ed25519 signatures are accepted.
   *
   * @throws SignatureException when the signature is invalid or malformed
   */
  public void verify(byte[] data, byte[] sig) throws SignatureException {
    boolean ok =
        algorithm == SignatureAlgorithm.ED25519
            ? verifyWith("Ed25519", true, data, sig) || verifyWith("Ed25519", false, data, sig)
            : verifyWith(algorithm.jcaName(), false, data, sig);
    if (!ok) {
      throw new SignatureException("the signature does not verify with " + this);
    }
  }

  /**
   * Verifies an ECDSA signature made with SHA-256 whatever the curve: only for historical bundles
   * of {@code model_signing} 0.2.x, whose certificate signer hard-coded SHA-256.
   *
   * @throws SignatureException when the signature is invalid, or the key is not ECDSA
   */
  public void verifyLegacyEcdsaSha256(byte[] data, byte[] sig) throws SignatureException {
    if (!algorithm.isEcdsa() || !verifyWith("SHA256withECDSA", false, data, sig)) {
      throw new SignatureException("the legacy ECDSA-SHA256 signature does not verify");
    }
  }

  private boolean verifyWith(String jca, boolean prehash, byte[] data, byte[] sig) {
    try {
      Signature s = Signature.getInstance(jca);
      if (prehash) {
        s.setParameter(algorithm.edDsaPrehash());
      }
      s.initVerify(key);
      s.update(data);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "VerificationKey[" + algorithm + ", hint " + hint() + "]";
  }
}
