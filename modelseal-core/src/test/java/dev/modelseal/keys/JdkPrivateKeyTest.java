package dev.modelseal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK-only private key read ({@link PemFiles#jdkPrivateKey}, {@link EcPublicPoint}): it reads
 * the keys OpenSSL and {@code keygen} write, finds the same public key Bouncy Castle derives, and
 * gives null (never a wrong key, never an exception) for everything else.
 */
class JdkPrivateKeyTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"P-256", "P-384", "P-521"})
  void opensslEcKey_readWithJdk_sameKeyAsOpensslPublic(String curve) throws Exception {
    Path key = tmp.resolve("key.pem");
    Path pub = tmp.resolve("pub.pem");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve, "-out", key);
    openssl("pkey", "-in", key, "-pubout", "-out", pub);
    SigningKey k = PemFiles.jdkPrivateKey(Files.readString(key));
    assertThat(k).isNotNull();
    assertThat(k.verificationKey().sameKey(PemFiles.readPublicKey(pub))).isTrue();
  }

  @Test
  void opensslRsaKey_readWithJdk_sameKeyAsOpensslPublic() throws Exception {
    Path key = tmp.resolve("rsa.pem");
    Path pub = tmp.resolve("rsa.pub");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key);
    openssl("pkey", "-in", key, "-pubout", "-out", pub);
    SigningKey k = PemFiles.jdkPrivateKey(Files.readString(key));
    assertThat(k).isNotNull();
    assertThat(k.verificationKey().sameKey(PemFiles.readPublicKey(pub))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"p256", "p384"})
  void keygenEcKey_carriesItsPoint_likeOpenssl(String algorithm) throws Exception {
    KeyPairFiles.Written w =
        KeyPairFiles.generate(tmp.resolve("k"), KeyPairFiles.Algorithm.parse(algorithm), null);
    SigningKey k = PemFiles.jdkPrivateKey(Files.readString(w.privateKey()));
    assertThat(k).isNotNull();
    assertThat(k.verificationKey().sameKey(PemFiles.readPublicKey(w.publicKey()))).isTrue();
    Path derived = tmp.resolve("derived.pub");
    openssl("pkey", "-in", w.privateKey(), "-pubout", "-out", derived);
    assertThat(Files.readString(derived)).isEqualTo(Files.readString(w.publicKey()));
  }

  @Test
  void foreignPointSpliced_isNotTrusted_bouncyCastleDerivesTheRealKey() throws Exception {
    KeyPair a = TestPki.ec("secp256r1");
    KeyPair b = TestPki.ec("secp256r1");
    String forged = pem(pkcs8With(a, b.getPublic()));
    assertThat(PemFiles.jdkPrivateKey(forged)).isNull();
    Path f = Files.writeString(tmp.resolve("forged.pem"), forged);
    SigningKey k = PemFiles.readPrivateKey(f, null);
    assertThat(k.verificationKey().sameKey(VerificationKey.of(a.getPublic()))).isTrue();
  }

  @Test
  void keysWithoutAnEmbeddedPoint_orOtherForms_giveNull() throws Exception {
    KeyPair ec = TestPki.ec("secp256r1");
    // The JDK's own encoding has no public point.
    assertThat(PemFiles.jdkPrivateKey(pem(ec.getPrivate().getEncoded()))).isNull();
    assertThat(PemFiles.jdkPrivateKey(pem(TestPki.ed25519().getPrivate().getEncoded()))).isNull();
    String good = pem(pkcs8With(ec, ec.getPublic()));
    assertThat(PemFiles.jdkPrivateKey(good)).isNotNull();
    assertThat(PemFiles.jdkPrivateKey(good + good)).isNull(); // two blocks
    assertThat(PemFiles.jdkPrivateKey(good.replace("PRIVATE KEY", "EC PRIVATE KEY"))).isNull();
    assertThat(PemFiles.jdkPrivateKey("")).isNull();
    assertThat(PemFiles.jdkPrivateKey("-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----"))
        .isNull();
  }

  @Test
  void everyByteMutatedOrTruncated_neverThrows_neverAnotherKey() throws Exception {
    KeyPair ec = TestPki.ec("secp256r1");
    byte[] der = pkcs8With(ec, ec.getPublic());
    VerificationKey real = VerificationKey.of(ec.getPublic());
    for (int i = 0; i < der.length; i++) {
      for (int delta : new int[] {1, 0x80}) {
        byte[] m = der.clone();
        m[i] = (byte) (m[i] + delta);
        assertNullOrReal(
            EcPublicPoint.subjectPublicKeyInfo(m), PemFiles.jdkPrivateKey(pem(m)), real);
      }
      byte[] cut = java.util.Arrays.copyOf(der, i);
      assertNullOrReal(
          EcPublicPoint.subjectPublicKeyInfo(cut), PemFiles.jdkPrivateKey(pem(cut)), real);
    }
  }

  private static void assertNullOrReal(byte[] spki, SigningKey k, VerificationKey real) {
    // The walk itself may find a point in a mutated structure, but a key is only returned when
    // its test signature verifies: then it is the real key.
    if (k != null) {
      assertThat(k.verificationKey().sameKey(real)).isTrue();
    }
    assertThat(spki == null || spki.length > 0).isTrue();
  }

  /**
   * PKCS#8 of {@code kp}'s private key with {@code point}'s public point inside, as OpenSSL writes.
   */
  private static byte[] pkcs8With(KeyPair kp, java.security.PublicKey point) throws Exception {
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(kp.getPrivate().getEncoded());
    java.security.interfaces.ECPrivateKey ec =
        (java.security.interfaces.ECPrivateKey) kp.getPrivate();
    byte[] q =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(point.getEncoded())
            .getPublicKeyData()
            .getBytes();
    return new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(
            info.getPrivateKeyAlgorithm(),
            new org.bouncycastle.asn1.sec.ECPrivateKey(
                256, ec.getS(), new org.bouncycastle.asn1.DERBitString(q), null))
        .getEncoded();
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** Runs openssl (a test dependency like the JDK: .ci/run installs it when missing). */
  private static void openssl(Object... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("openssl");
    for (Object a : args) {
      cmd.add(a.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
