package dev.modelseal.keys;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads keys and certificates from PEM files, and writes the canonical PEM of a public key.
 *
 * <p>Accepted: public keys as {@code PUBLIC KEY} (SubjectPublicKeyInfo) or {@code RSA PUBLIC KEY};
 * private keys as PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}),
 * SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}), the last two also with
 * OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} headers; certificates as {@code CERTIFICATE}.
 * Text before, between and after the PEM blocks (as GnuTLS {@code certtool} writes) is skipped.
 * Files larger than {@link #MAX_BYTES} are refused. Every key returned is a JDK key of a supported
 * type ({@link SignatureAlgorithm}).
 */
public final class PemFiles {
  /** The largest key, certificate or password file read. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** The most certificates read from one file. */
  public static final int MAX_CERTIFICATES = 32;

  private PemFiles() {}

  /**
   * Reads the first public key of a PEM file.
   *
   * @throws InvalidInputException when the file holds no public key, or an unsupported one
   * @throws ModelIoException when it cannot be read
   */
  public static VerificationKey readPublicKey(Path file) throws ModelsealException {
    String text = readText(file);
    java.util.Optional<VerificationKey> fast = jdkPublicKey(text);
    if (fast.isPresent()) {
      return fast.get();
    }
    try (PEMParser p = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = p.readObject()) != null) {
        if (o instanceof SubjectPublicKeyInfo spki) {
          return VerificationKey.of(spki, file);
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(file, "not a valid PEM public key: " + describe(e), e);
    }
    throw new InvalidInputException(file, "no PEM public key (-----BEGIN PUBLIC KEY-----) found");
  }

  /**
   * Reads the first private key of a PEM file, decrypting it with {@code password} when it is
   * encrypted. The password array is not kept.
   *
   * @param password the password, or null when the key is not encrypted
   * @throws InvalidInputException when the file holds no private key, an unsupported one, or an
   *     encrypted one without (or with a wrong) password
   */
  public static SigningKey readPrivateKey(Path file, char[] password) throws ModelsealException {
    String text = readText(file);
    try (PEMParser p = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = p.readObject()) != null) {
        PrivateKeyInfo info = privateKeyInfo(o, password, file);
        if (info != null) {
          return signingKey(info, file);
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(file, "not a valid PEM private key: " + describe(e), e);
    }
    throw new InvalidInputException(
        file, "no PEM private key (-----BEGIN ... PRIVATE KEY-----) found");
  }

  /**
   * Reads every certificate of a PEM file, in file order.
   *
   * @throws InvalidInputException when there is none, more than {@link #MAX_CERTIFICATES}, or one
   *     is malformed
   */
  public static List<X509Certificate> readCertificates(Path file) throws ModelsealException {
    String text = readText(file);
    List<X509Certificate> out = new ArrayList<>();
    try (PemReader r = new PemReader(new StringReader(text))) {
      PemObject o;
      while ((o = r.readPemObject()) != null) {
        if (!o.getType().equals("CERTIFICATE")) {
          continue;
        }
        if (out.size() == MAX_CERTIFICATES) {
          throw new InvalidInputException(file, "more than " + MAX_CERTIFICATES + " certificates");
        }
        out.add(certificate(o.getContent(), file));
      }
    } catch (IOException e) {
      throw new InvalidInputException(file, "not a valid PEM certificate file: " + describe(e), e);
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(
          file, "no PEM certificate (-----BEGIN CERTIFICATE-----) found");
    }
    return out;
  }

  /**
   * Reads a password file: its UTF-8 text without one trailing line break.
   *
   * @throws InvalidInputException when it is empty or not UTF-8
   */
  public static char[] readPassword(Path file) throws ModelsealException {
    byte[] b = readBytes(file);
    try {
      int end = b.length;
      if (end > 0 && b[end - 1] == '\n') {
        end--;
        if (end > 0 && b[end - 1] == '\r') {
          end--;
        }
      }
      if (end == 0) {
        throw new InvalidInputException(file, "the password file is empty");
      }
      CharBuffer cb =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(b, 0, end));
      char[] out = new char[cb.remaining()];
      cb.get(out);
      Arrays.fill(cb.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file, "the password file is not UTF-8 text");
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /** Parses a DER certificate with the JDK. */
  public static X509Certificate certificate(byte[] der, Path source) throws InvalidInputException {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new InvalidInputException(source, "malformed certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The common case read with the JDK alone: one {@code PUBLIC KEY} block (after any text preamble)
   * holding an EC, Ed25519 or RSA SubjectPublicKeyInfo the JDK's key factories accept. Anything
   * else is left to Bouncy Castle's parser, which reports precise errors.
   */
  private static java.util.Optional<VerificationKey> jdkPublicKey(String text) {
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int b = text.indexOf(begin);
    int e = b < 0 ? -1 : text.indexOf(end, b);
    if (b < 0 || e < 0 || text.indexOf(begin, b + begin.length()) >= 0) {
      return java.util.Optional.empty();
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      return java.util.Optional.empty();
    }
    for (String alg : new String[] {"EC", "Ed25519", "RSA"}) {
      try {
        PublicKey k =
            java.security.KeyFactory.getInstance(alg)
                .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
        return VerificationKey.ofJdk(k);
      } catch (java.security.GeneralSecurityException | RuntimeException ex) {
        // not this algorithm
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * The canonical PEM text of a public key, as OpenSSL and Python's {@code cryptography} write it:
   * {@code -----BEGIN PUBLIC KEY-----\n}, the base64 DER in 64-column lines, {@code \n-----END
   * PUBLIC KEY-----\n}.
   */
  public static String publicKeyPem(PublicKey key) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
  }

  private static PrivateKeyInfo privateKeyInfo(Object o, char[] password, Path file)
      throws InvalidInputException {
    try {
      if (o instanceof PrivateKeyInfo info) {
        return info;
      }
      if (o instanceof PEMKeyPair kp) {
        return kp.getPrivateKeyInfo();
      }
      if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
        requirePassword(password, file);
        return enc.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(new BouncyCastleProvider())
                .build(password));
      }
      if (o instanceof PEMEncryptedKeyPair enc) {
        requirePassword(password, file);
        return enc.decryptKeyPair(
                new JcePEMDecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider())
                    .build(password))
            .getPrivateKeyInfo();
      }
      return null;
    } catch (PKCSException | PEMException e) {
      throw new InvalidInputException(file, "cannot decrypt the private key (wrong password?)", e);
    } catch (OperatorCreationException | IOException e) {
      throw new InvalidInputException(file, "cannot decrypt the private key: " + describe(e), e);
    }
  }

  private static void requirePassword(char[] password, Path file) throws InvalidInputException {
    if (password == null) {
      throw new InvalidInputException(file, "the private key is encrypted; give a password file");
    }
  }

  private static SigningKey signingKey(PrivateKeyInfo info, Path file)
      throws InvalidInputException {
    SubjectPublicKeyInfo spki = publicOf(info, file);
    VerificationKey pub = VerificationKey.of(spki, file);
    String jcaKeyType = keyType(pub.algorithm());
    try {
      PrivateKey priv =
          KeyFactory.getInstance(jcaKeyType)
              .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      return SigningKey.of(priv, pub);
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(file, "unusable private key: " + e.getMessage(), e);
    }
  }

  /** Derives the public key of a private key with Bouncy Castle's key arithmetic. */
  private static SubjectPublicKeyInfo publicOf(PrivateKeyInfo info, Path file)
      throws InvalidInputException {
    try {
      AsymmetricKeyParameter k = PrivateKeyFactory.createKey(info);
      if (k instanceof ECPrivateKeyParameters ec) {
        if (!(info.getPrivateKeyAlgorithm().getParameters()
            instanceof ASN1ObjectIdentifier curve)) {
          throw new InvalidInputException(file, "EC private key without a named curve");
        }
        ECPoint q =
            new FixedPointCombMultiplier()
                .multiply(ec.getParameters().getG(), ec.getD())
                .normalize();
        return new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
            q.getEncoded(false));
      }
      if (k instanceof Ed25519PrivateKeyParameters ed) {
        return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(ed.generatePublicKey());
      }
      if (k instanceof RSAPrivateCrtKeyParameters rsa) {
        return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
            new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent()));
      }
      throw new InvalidInputException(
          file,
          "unsupported private key type "
              + info.getPrivateKeyAlgorithm().getAlgorithm()
              + " (EC P-256/P-384/P-521, Ed25519 and RSA are supported)");
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file, "malformed private key: " + describe(e), e);
    }
  }

  static String keyType(SignatureAlgorithm a) {
    return switch (a) {
      case ECDSA_P256_SHA256, ECDSA_P384_SHA384, ECDSA_P521_SHA512 -> "EC";
      case ED25519 -> "Ed25519";
      case RSA_PKCS1_SHA256 -> "RSA";
    };
  }

  static PublicKey jdkPublicKey(SubjectPublicKeyInfo spki, SignatureAlgorithm a, Path file)
      throws InvalidInputException {
    try {
      return KeyFactory.getInstance(keyType(a))
          .generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidInputException(file, "unusable public key: " + e.getMessage(), e);
    }
  }

  private static String readText(Path file) throws ModelsealException {
    byte[] b = readBytes(file);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Path file) throws ModelsealException {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new InvalidInputException(file, "larger than " + MAX_BYTES + " bytes");
      }
      byte[] b = Files.readAllBytes(file);
      if (b.length > MAX_BYTES) {
        throw new InvalidInputException(file, "larger than " + MAX_BYTES + " bytes");
      }
      return b;
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
