package dev.modelseal.keys;

import java.security.spec.EdDSAParameterSpec;

/**
 * The signature schemes modelseal signs and verifies with, one per key type, as the OMS clients use
 * them: ECDSA with the curve's hash (DER signatures), Ed25519ph (Ed25519 over the SHA-512 of the
 * message, as the Go client signs; the pure Ed25519 form is accepted when verifying), and RSA
 * PKCS#1 v1.5 with SHA-256 (as the Go client signs, whatever the modulus size).
 */
public enum SignatureAlgorithm {
  /** ECDSA on P-256 with SHA-256. */
  ECDSA_P256_SHA256("SHA256withECDSA", "PKIX_ECDSA_P256_SHA_256", "1.2.840.10045.3.1.7"),
  /** ECDSA on P-384 with SHA-384. */
  ECDSA_P384_SHA384("SHA384withECDSA", "PKIX_ECDSA_P384_SHA_384", "1.3.132.0.34"),
  /** ECDSA on P-521 with SHA-512. */
  ECDSA_P521_SHA512("SHA512withECDSA", "PKIX_ECDSA_P521_SHA_512", "1.3.132.0.35"),
  /** Ed25519ph (pre-hashed with SHA-512) when signing; Ed25519ph or pure Ed25519 when verifying. */
  ED25519("Ed25519", "PKIX_ED25519_PH", null),
  /** RSA PKCS#1 v1.5 with SHA-256, modulus of at least 2048 bits. */
  RSA_PKCS1_SHA256("SHA256withRSA", "PKIX_RSA_PKCS1V15_SHA256", null);

  /** Smallest RSA modulus accepted, in bits. */
  public static final int MIN_RSA_BITS = 2048;

  static final String ED25519_OID = "1.3.101.112";
  static final String RSA_OID = "1.2.840.113549.1.1.1";
  static final String EC_OID = "1.2.840.10045.2.1";

  private final String jcaName;
  private final String sigstoreName;
  private final String curveOid;

  SignatureAlgorithm(String jcaName, String sigstoreName, String curveOid) {
    this.jcaName = jcaName;
    this.sigstoreName = sigstoreName;
    this.curveOid = curveOid;
  }

  /** The JCA signature algorithm name. */
  public String jcaName() {
    return jcaName;
  }

  /** The Sigstore {@code PublicKeyDetails} name of this scheme (informational). */
  public String sigstoreName() {
    return sigstoreName;
  }

  /** True for the ECDSA schemes. */
  public boolean isEcdsa() {
    return curveOid != null;
  }

  /** The parameters to give the JDK's {@code Signature} for this scheme, or null for none. */
  EdDSAParameterSpec edDsaPrehash() {
    return this == ED25519 ? new EdDSAParameterSpec(true) : null;
  }

  /** The ECDSA scheme for a named curve OID, or null when the curve is not supported. */
  static SignatureAlgorithm forCurve(String oid) {
    for (SignatureAlgorithm a : values()) {
      if (oid != null && oid.equals(a.curveOid)) {
        return a;
      }
    }
    return null;
  }
}
