package dev.modelseal.keys;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.RegularFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

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
    return BcPem.readPublicKey(text, file);
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
    SigningKey fast = jdkPrivateKey(text);
    if (fast != null) {
      return fast;
    }
    return BcPem.readPrivateKey(text, password, file);
  }

  /**
   * Reads every certificate of a PEM file, in file order.
   *
   * @throws InvalidInputException when there is none, more than {@link #MAX_CERTIFICATES}, or one
   *     is malformed
   */
  public static List<X509Certificate> readCertificates(Path file) throws ModelsealException {
    return BcPem.readCertificates(readText(file), file);
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

  /**
   * Parses exactly one DER certificate with the JDK (no trailing bytes, no other encoding).
   *
   * @throws InvalidInputException when {@code der} is not exactly that
   */
  public static X509Certificate certificate(byte[] der, Path source) throws InvalidInputException {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
      // The factory reads one certificate and ignores what follows; and a certificate has one
      // DER encoding: refuse trailing bytes and any other encoding of the same certificate.
      if (!java.util.Arrays.equals(c.getEncoded(), der)) {
        throw new InvalidInputException(
            source, "malformed certificate: not exactly one DER-encoded certificate");
      }
      return c;
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
    byte[] der = onlyBlock(text, "PUBLIC KEY");
    if (der == null) {
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
   * The common private key read with the JDK alone, without loading Bouncy Castle: one unencrypted
   * PKCS#8 {@code PRIVATE KEY} block holding an EC key that carries its public point ({@link
   * EcPublicPoint}; OpenSSL and {@code keygen} write it) or an RSA CRT key (whose public key is its
   * modulus and public exponent). The public key found is confirmed by {@link SigningKey#of}'s test
   * signature. Anything else, and any failure, gives null: the caller falls back to Bouncy Castle,
   * which reads every form and reports precise errors.
   */
  static SigningKey jdkPrivateKey(String text) {
    byte[] der = onlyBlock(text, "PRIVATE KEY");
    if (der == null) {
      return null;
    }
    try {
      java.security.spec.PKCS8EncodedKeySpec spec = new java.security.spec.PKCS8EncodedKeySpec(der);
      byte[] ecPublic = EcPublicPoint.subjectPublicKeyInfo(der);
      if (ecPublic != null) {
        java.security.KeyFactory f = java.security.KeyFactory.getInstance("EC");
        PublicKey pub = f.generatePublic(new java.security.spec.X509EncodedKeySpec(ecPublic));
        java.util.Optional<VerificationKey> v = VerificationKey.ofJdk(pub);
        return v.isPresent() ? SigningKey.of(f.generatePrivate(spec), v.get()) : null;
      }
      java.security.KeyFactory f = java.security.KeyFactory.getInstance("RSA");
      if (f.generatePrivate(spec) instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
        PublicKey pub =
            f.generatePublic(
                new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        java.util.Optional<VerificationKey> v = VerificationKey.ofJdk(pub);
        return v.isPresent() ? SigningKey.of(rsa, v.get()) : null;
      }
      return null;
    } catch (java.security.GeneralSecurityException | InvalidInputException | RuntimeException e) {
      return null; // not this shape, or the point does not match: Bouncy Castle decides
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * The decoded contents of the PEM block of {@code type} when it is the only PEM block of {@code
   * text} (text outside blocks allowed), else null.
   */
  static byte[] onlyBlock(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = text.indexOf(begin);
    // The end marker is searched after the whole begin marker: the two may share dashes
    // ("-----BEGIN PUBLIC KEY-------END PUBLIC KEY-----"; found by TrustParserFuzzTest#pem).
    int e = b < 0 ? -1 : text.indexOf(end, b + begin.length());
    if (b < 0
        || e < 0
        || text.indexOf("-----BEGIN ") != b
        || text.indexOf("-----BEGIN ", b + begin.length()) >= 0) {
      return null;
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      return null;
    }
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

  static String keyType(SignatureAlgorithm a) {
    return switch (a) {
      case ECDSA_P256_SHA256, ECDSA_P384_SHA384, ECDSA_P521_SHA512 -> "EC";
      case ED25519 -> "Ed25519";
      case RSA_PKCS1_SHA256 -> "RSA";
    };
  }

  private static String readText(Path file) throws ModelsealException {
    byte[] b = readBytes(file);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Path file) throws ModelsealException {
    try {
      long size = RegularFiles.requireRegular(file);
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

  static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
