package dev.modelseal.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.testing.SharedVectors;
import dev.modelseal.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemFilesTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();

  @TempDir Path tmp;

  @Test
  void readPublicKey_referenceKeyWithPreamble_givesReferenceHint() throws Exception {
    Path keys = SharedVectors.modelTransparency().resolve("keys");
    VerificationKey k = PemFiles.readPublicKey(keys.resolve("signing-key-pub.pem"));
    assertThat(k.algorithm()).isEqualTo(SignatureAlgorithm.ECDSA_P384_SHA384);
    assertThat(k.hint())
        .isEqualTo("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
  }

  @Test
  void readPrivateKey_referenceSec1WithPreamble_matchesPublicKey() throws Exception {
    Path keys = SharedVectors.modelTransparency().resolve("keys");
    SigningKey s = PemFiles.readPrivateKey(keys.resolve("signing-key.pem"), null);
    VerificationKey p = PemFiles.readPublicKey(keys.resolve("signing-key-pub.pem"));
    assertThat(s.verificationKey().sameKey(p)).isTrue();
  }

  static Stream<Arguments> keyPairs() throws Exception {
    return Stream.of(
        Arguments.of("P-256", TestPki.ec("secp256r1"), SignatureAlgorithm.ECDSA_P256_SHA256),
        Arguments.of("P-384", TestPki.ec("secp384r1"), SignatureAlgorithm.ECDSA_P384_SHA384),
        Arguments.of("P-521", TestPki.ec("secp521r1"), SignatureAlgorithm.ECDSA_P521_SHA512),
        Arguments.of("Ed25519", TestPki.ed25519(), SignatureAlgorithm.ED25519),
        Arguments.of("RSA-2048", TestPki.rsa(2048), SignatureAlgorithm.RSA_PKCS1_SHA256));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyPairs")
  void readPrivateKey_everyEncoding_signsVerifiably(String name, KeyPair kp, SignatureAlgorithm alg)
      throws Exception {
    Path pub = TestPki.writePublic(tmp.resolve("pub.pem"), kp.getPublic());
    VerificationKey vk = PemFiles.readPublicKey(pub);
    assertThat(vk.algorithm()).isEqualTo(alg);
    Path pkcs8 = TestPki.writePkcs8(tmp.resolve("pkcs8.pem"), kp.getPrivate());
    Path enc = TestPki.writeEncryptedPkcs8(tmp.resolve("enc.pem"), kp.getPrivate(), PASSWORD);
    Path withPreamble = tmp.resolve("preamble.pem");
    Files.writeString(
        withPreamble, "Private Key Info:\n\tsome text\n\n" + Files.readString(pkcs8) + "trailer\n");
    for (SigningKey sk :
        new SigningKey[] {
          PemFiles.readPrivateKey(pkcs8, null),
          PemFiles.readPrivateKey(enc, PASSWORD.clone()),
          PemFiles.readPrivateKey(withPreamble, null)
        }) {
      assertThat(sk.algorithm()).isEqualTo(alg);
      assertThat(sk.verificationKey().sameKey(vk)).isTrue();
      byte[] data = "data".getBytes(StandardCharsets.US_ASCII);
      vk.verify(data, sk.sign(data));
      assertThatThrownBy(
              () -> vk.verify("other".getBytes(StandardCharsets.US_ASCII), sk.sign(data)))
          .isInstanceOf(java.security.SignatureException.class);
    }
    if (!name.equals("Ed25519")) {
      Path trad = TestPki.writeTraditional(tmp.resolve("trad.pem"), kp, null);
      Path tradEnc = TestPki.writeTraditional(tmp.resolve("trad-enc.pem"), kp, PASSWORD);
      assertThat(PemFiles.readPrivateKey(trad, null).verificationKey().sameKey(vk)).isTrue();
      assertThat(PemFiles.readPrivateKey(tradEnc, PASSWORD).verificationKey().sameKey(vk)).isTrue();
    }
  }

  @Test
  void readPrivateKey_encryptedWithoutPassword_throws() throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    Path enc = TestPki.writeEncryptedPkcs8(tmp.resolve("enc.pem"), kp.getPrivate(), PASSWORD);
    assertThatThrownBy(() -> PemFiles.readPrivateKey(enc, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("encrypted; give a password file");
  }

  @Test
  void readPrivateKey_wrongPassword_throws() throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    Path enc = TestPki.writeEncryptedPkcs8(tmp.resolve("enc.pem"), kp.getPrivate(), PASSWORD);
    Path trad = TestPki.writeTraditional(tmp.resolve("trad.pem"), kp, PASSWORD);
    assertThatThrownBy(() -> PemFiles.readPrivateKey(enc, "wrong".toCharArray()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot decrypt");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(trad, "wrong".toCharArray()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot decrypt");
  }

  @Test
  void readPublicKey_unsupportedCurveOrShortRsa_throws() throws Exception {
    Path k1 = TestPki.writePublic(tmp.resolve("k1.pem"), TestPki.ecBc("secp256k1").getPublic());
    assertThatThrownBy(() -> PemFiles.readPublicKey(k1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unsupported EC curve");
    Path rsa = TestPki.writePublic(tmp.resolve("rsa.pem"), TestPki.rsa(1024).getPublic());
    assertThatThrownBy(() -> PemFiles.readPublicKey(rsa))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("shorter than 2048");
  }

  @Test
  void readPublicKey_privateKeyFileOrGarbage_throws() throws Exception {
    Path priv = TestPki.writePkcs8(tmp.resolve("p.pem"), TestPki.ec("secp256r1").getPrivate());
    assertThatThrownBy(() -> PemFiles.readPublicKey(priv))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no PEM public key");
    Path big = tmp.resolve("big.pem");
    Files.write(big, new byte[PemFiles.MAX_BYTES + 1]);
    assertThatThrownBy(() -> PemFiles.readPublicKey(big))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void readPassword_stripsOneLineBreak() throws Exception {
    Path f = tmp.resolve("pw");
    Files.writeString(f, "secret \r\n");
    assertThat(PemFiles.readPassword(f)).containsExactly('s', 'e', 'c', 'r', 'e', 't', ' ');
  }

  @Test
  void certificate_withTrailingBytes_isRefused() throws Exception {
    byte[] der = TestPki.selfSignedCa("CN=trailing", TestPki.ec("secp256r1")).getEncoded();
    assertThat(PemFiles.certificate(der, null).getEncoded()).isEqualTo(der);
    for (byte[] more :
        new byte[][] {java.util.Arrays.copyOf(der, der.length + 1), concat(der, der)}) {
      assertThatThrownBy(() -> PemFiles.certificate(more, Path.of("c.pem")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("not exactly one DER-encoded certificate");
    }
  }

  @Test
  void publicKey_endMarkerSharingTheBeginMarkersDashes_isRefused(@TempDir Path dir)
      throws Exception {
    // Found by TrustParserFuzzTest#pem: was a StringIndexOutOfBoundsException.
    Path f =
        Files.writeString(
            dir.resolve("k.pem"), "-----BEGIN PUBLIC KEY-------END PUBLIC KEY-----\n");
    assertThatThrownBy(() -> PemFiles.readPublicKey(f)).isInstanceOf(InvalidInputException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
