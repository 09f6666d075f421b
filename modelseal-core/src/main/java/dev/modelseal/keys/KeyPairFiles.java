package dev.modelseal.keys;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;

/**
 * Generates a signing key pair and writes it as {@code PREFIX.key} and {@code PREFIX.pub}, the
 * files {@code sign --key} and {@code verify --public-key} read. The private key is PKCS#8 PEM
 * ({@code PRIVATE KEY}), or with a password {@code ENCRYPTED PRIVATE KEY} under PBES2 (PBKDF2 with
 * HMAC-SHA256, AES-256-CBC); it is created owner-only (0600). The public key is
 * SubjectPublicKeyInfo PEM with the default permissions. Neither file is ever overwritten; both are
 * written atomically, the public key last, and a failure removes the key written before it.
 */
public final class KeyPairFiles {
  /** PBKDF2 iterations for an encrypted private key (OWASP's 2023 figure for HMAC-SHA256). */
  static final int ITERATIONS = 600_000;

  /** The algorithms {@link #generate} offers. */
  public enum Algorithm {
    /** ECDSA on NIST P-256 with SHA-256 (the default; what cosign generates). */
    P256("secp256r1"),
    /** ECDSA on NIST P-384 with SHA-384. */
    P384("secp384r1"),
    /** Ed25519. */
    ED25519(null);

    private final String curve;

    Algorithm(String curve) {
      this.curve = curve;
    }

    /** The algorithm named {@code p256}, {@code p384} or {@code ed25519} (any case). */
    public static Algorithm parse(String name) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "p256":
        case "p-256":
          return P256;
        case "p384":
        case "p-384":
          return P384;
        case "ed25519":
          return ED25519;
        default:
          throw new IllegalArgumentException(
              "unknown key algorithm '" + name + "'; use p256, p384 or ed25519");
      }
    }
  }

  /** The two files written. */
  public record Written(Path privateKey, Path publicKey, SignatureAlgorithm algorithm) {}

  private KeyPairFiles() {}

  /**
   * Generates a key pair of {@code algorithm} and writes {@code prefix.key} and {@code prefix.pub}.
   *
   * @param password the private key's password, or null for an unencrypted key
   * @throws ModelIoException when either file exists already (nothing is written) or cannot be
   *     written
   */
  public static Written generate(Path prefix, Algorithm algorithm, char[] password)
      throws ModelsealException {
    Path key = sibling(prefix, ".key");
    Path pub = sibling(prefix, ".pub");
    for (Path p : new Path[] {key, pub}) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new ModelIoException(p, "already exists; not overwritten", null);
      }
    }
    KeyPair kp = newPair(algorithm);
    byte[] keyPem = privateKeyPem(kp, password).getBytes(StandardCharsets.US_ASCII);
    byte[] pubPem = PemFiles.publicKeyPem(kp.getPublic()).getBytes(StandardCharsets.US_ASCII);
    SignatureAlgorithm sa = VerificationKey.of(kp.getPublic()).algorithm();
    AtomicFiles.writeSecret(key, keyPem);
    java.util.Arrays.fill(keyPem, (byte) 0);
    try {
      AtomicFiles.writeNew(pub, pubPem);
    } catch (ModelsealException e) {
      try {
        Files.deleteIfExists(key);
      } catch (IOException ignored) {
        // the error reported is the public key's
      }
      throw e;
    }
    return new Written(key, pub, sa);
  }

  private static Path sibling(Path prefix, String suffix) {
    Path name = prefix.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("-o " + prefix + " names no file");
    }
    return prefix.resolveSibling(name + suffix);
  }

  private static KeyPair newPair(Algorithm a) throws InvalidInputException {
    try {
      KeyPairGenerator g;
      if (a == Algorithm.ED25519) {
        g = KeyPairGenerator.getInstance("Ed25519");
      } else {
        g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(a.curve));
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new InvalidInputException(null, "cannot generate a " + a + " key: " + e.getMessage());
    }
  }

  /**
   * The PKCS#8 structure of the private key; for an EC key with its public point inside (RFC 5915's
   * {@code publicKey} field), as OpenSSL writes it, so that {@code sign} can read the pair with the
   * JDK alone ({@link EcPublicPoint}). The JDK's own encoding leaves the point out.
   */
  private static PrivateKeyInfo withPublicPoint(KeyPair kp) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(kp.getPrivate().getEncoded());
    if (!(kp.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec)) {
      return info;
    }
    byte[] point =
        SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()).getPublicKeyData().getBytes();
    return new PrivateKeyInfo(
        info.getPrivateKeyAlgorithm(),
        new ECPrivateKey(
            ec.getParams().getOrder().bitLength(), ec.getS(), new DERBitString(point), null));
  }

  /** PKCS#8 PEM of the private key, encrypted (PBES2, AES-256-CBC) when a password is given. */
  static String privateKeyPem(KeyPair kp, char[] password) throws InvalidInputException {
    try {
      OutputEncryptor enc = null;
      if (password != null) {
        enc =
            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setPRF(PKCS8Generator.PRF_HMACSHA256)
                .setIterationCount(ITERATIONS)
                .setProvider(new BouncyCastleProvider())
                .setPassword(password)
                .build();
      }
      StringWriter sw = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
        w.writeObject(new PKCS8Generator(withPublicPoint(kp), enc));
      }
      return sw.toString();
    } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new InvalidInputException(null, "cannot encode the private key: " + e.getMessage());
    }
  }
}
