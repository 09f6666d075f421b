package dev.modelseal.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.testing.HttpClientThreads;
import dev.modelseal.testing.SharedVectors;
import dev.modelseal.testing.TestPki;
import dev.modelseal.testing.TestTsa;
import dev.modelseal.timestamp.TimestampAuthority;
import dev.modelseal.timestamp.TimestampException;
import dev.modelseal.walk.WalkOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 3161 timestamps from a real TSA on 127.0.0.1, in certificate- and key-method bundles. */
class TimestampTest {
  static TestTsa tsa;
  static KeyPair caKey;
  static X509Certificate ca;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    tsa = TestTsa.start();
    caKey = TestPki.ec("secp256r1");
    ca = TestPki.selfSignedCa("Signing CA", caKey);
  }

  @AfterAll
  static void stop() {
    tsa.close();
  }

  private Path model() throws Exception {
    Path m = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(m.resolve("weights.bin"), "w");
    Files.writeString(m.resolve("README.md"), "r");
    return m;
  }

  /** Signs with a leaf valid in [from, to], a timestamp at {@code stampedAt} (null: none). */
  private Path sign(Instant from, Instant to, Instant stampedAt) throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    X509Certificate leaf =
        TestPki.leaf("release", kp.getPublic(), "Signing CA", caKey.getPrivate(), true, from, to);
    SigningKey key = SigningKey.of(kp.getPrivate(), VerificationKey.of(kp.getPublic()));
    OmsSigner s = OmsSigner.withCertificates(key, List.of(leaf));
    if (stampedAt != null) {
      tsa.genTime.set(stampedAt);
      s = s.withTimestamps(TimestampAuthority.at(tsa.url()).checkedAgainst(List.of(tsa.root)));
    }
    Path sig = tmp.resolve("model.sig");
    s.signTo(model(), sig, WalkOptions.defaults());
    return sig;
  }

  private OmsVerifier verifier(X509Certificate tsaRoot) {
    return OmsVerifier.withTrustAnchors(List.of(ca)).requiringTimestamp(List.of(tsaRoot));
  }

  private static Failure failure(ThrowingCheck c) {
    try {
      c.run();
    } catch (SignatureVerificationException e) {
      return e.failure();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("verified");
  }

  interface ThrowingCheck {
    void run() throws Exception;
  }

  @Test
  void goodTimestampIsStoredAsSigstoreDoesAndVerifies() throws Exception {
    Instant now = Instant.now();
    Path sig = sign(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), now);
    JsonNode vm = new ObjectMapper().readTree(Files.readAllBytes(sig)).get("verificationMaterial");
    JsonNode ts = vm.at("/timestampVerificationData/rfc3161Timestamps");
    assertThat(ts.size()).isEqualTo(1);
    assertThat(ts.get(0).get("signedTimestamp").asText()).isNotEmpty();
    Path m = tmp.resolve("model");
    verifier(tsa.root).check(m, sig);
    // Without a TSA anchor, the timestamp is not needed and the bundle verifies as before.
    OmsVerifier.withTrustAnchors(List.of(ca)).check(m, sig);
    assertThat(OmsBundle.read(sig).timestamps()).hasSize(1);
  }

  @Test
  void timestampedBundleIsValidByTheOmsSchemas() throws Exception {
    Instant now = Instant.now();
    Path sig = sign(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), now);
    SharedVectors.root();
    RoundTripTest.assertSchemaValid(Files.readAllBytes(sig));
  }

  @Test
  void wrongAnchorIsUntrusted() throws Exception {
    Instant now = Instant.now();
    Path sig = sign(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), now);
    X509Certificate other = TestPki.selfSignedCa("Other TSA Root", TestPki.ec("secp256r1"));
    assertThat(failure(() -> verifier(other).check(tmp.resolve("model"), sig)))
        .isEqualTo(Failure.UNTRUSTED_TIMESTAMP);
    // The signing CA is no TSA either: the leaf-signing root does not vouch for the TSA.
    assertThat(failure(() -> verifier(ca).check(tmp.resolve("model"), sig)))
        .isEqualTo(Failure.UNTRUSTED_TIMESTAMP);
  }

  @Test
  void tamperedTokenAndImprintMismatchAreBadTimestamps() throws Exception {
    Instant now = Instant.now();
    Path sig = sign(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), now);
    byte[] token = OmsBundle.read(sig).timestamps().get(0);
    // Flip a byte of the token's own signature (its last bytes).
    byte[] tampered = token.clone();
    tampered[tampered.length - 3] ^= 0x01;
    Path t = withToken(sig, tampered, "tampered.sig");
    assertThat(failure(() -> verifier(tsa.root).check(tmp.resolve("model"), t)))
        .isEqualTo(Failure.BAD_TIMESTAMP);
    // A valid token of the same TSA, over other bytes.
    byte[] otherToken = TimestampAuthority.at(tsa.url()).timestamp(new byte[] {1, 2, 3});
    Path o = withToken(sig, otherToken, "other.sig");
    assertThatThrownBy(() -> verifier(tsa.root).check(tmp.resolve("model"), o))
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("message imprint differs");
    Path g = withToken(sig, new byte[] {0x30, 0x03, 1, 2, 3}, "garbage.sig");
    assertThat(failure(() -> verifier(tsa.root).check(tmp.resolve("model"), g)))
        .isEqualTo(Failure.BAD_TIMESTAMP);
  }

  private Path withToken(Path sig, byte[] token, String name) throws Exception {
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = (ObjectNode) om.readTree(Files.readAllBytes(sig));
    ((ObjectNode) root.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0"))
        .put("signedTimestamp", Base64.getEncoder().encodeToString(token));
    Path out = tmp.resolve("model").resolve(name);
    Files.write(out, om.writeValueAsBytes(root));
    return out;
  }

  @Test
  void expiredLeafVerifiesWithATimestampInsideItsValidityOnly() throws Exception {
    Instant now = Instant.now();
    Instant from = now.minus(Duration.ofDays(10));
    Instant to = now.minus(Duration.ofDays(5));
    Path m = tmp.resolve("model");
    Path inside = sign(from, to, now.minus(Duration.ofDays(7)));
    verifier(tsa.root).check(m, inside);
    assertThat(failure(() -> OmsVerifier.withTrustAnchors(List.of(ca)).check(m, inside)))
        .isEqualTo(Failure.CERTIFICATE_EXPIRED);
    Path after = sign(from, to, now.minus(Duration.ofDays(1)));
    assertThat(failure(() -> verifier(tsa.root).check(m, after)))
        .isEqualTo(Failure.CERTIFICATE_EXPIRED);
    Path before = sign(from, to, now.minus(Duration.ofDays(11)));
    assertThat(failure(() -> verifier(tsa.root).check(m, before)))
        .isEqualTo(Failure.CERTIFICATE_NOT_YET_VALID);
    Path none = sign(from, to, null);
    assertThat(failure(() -> verifier(tsa.root).check(m, none)))
        .isEqualTo(Failure.MISSING_TIMESTAMP);
  }

  @Test
  void keyMethodTimestampIsCheckedToo() throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    SigningKey key = SigningKey.of(kp.getPrivate(), VerificationKey.of(kp.getPublic()));
    tsa.genTime.set(null);
    Path sig = tmp.resolve("key.sig");
    OmsSigner.withKey(key)
        .withTimestamps(TimestampAuthority.at(tsa.url()))
        .signTo(model(), sig, WalkOptions.defaults());
    OmsVerifier v = OmsVerifier.withPublicKey(key.verificationKey());
    v.requiringTimestamp(List.of(tsa.root)).check(tmp.resolve("model"), sig);
    v.check(tmp.resolve("model"), sig);
    X509Certificate other = TestPki.selfSignedCa("Other", TestPki.ec("secp256r1"));
    assertThat(failure(() -> v.requiringTimestamp(List.of(other)).check(tmp.resolve("model"), sig)))
        .isEqualTo(Failure.UNTRUSTED_TIMESTAMP);
  }

  @Test
  void aTimestampStartsNoHttpClientSelectorThread() throws Exception {
    // the JDK HttpClient's selector thread waits in native code and holds the JVM's exit 300 ms
    java.util.Set<String> before = HttpClientThreads.selectorThreads();
    byte[] token = TimestampAuthority.at(tsa.url()).timestamp(new byte[] {4, 5, 6});
    assertThat(token).isNotEmpty();
    assertThat(HttpClientThreads.selectorThreads()).isSubsetOf(before);
  }

  @Test
  void unreachableOrWrongTsaFailsTheSigning() throws Exception {
    KeyPair kp = TestPki.ec("secp256r1");
    SigningKey key = SigningKey.of(kp.getPrivate(), VerificationKey.of(kp.getPublic()));
    Path m = model();
    URI dead = URI.create("http://127.0.0.1:1/tsr");
    assertThatThrownBy(
            () ->
                OmsSigner.withKey(key)
                    .withTimestamps(TimestampAuthority.at(dead))
                    .signTo(m, tmp.resolve("x.sig"), WalkOptions.defaults()))
        .isInstanceOf(TimestampException.class)
        .hasMessageContaining("cannot reach the TSA");
    assertThat(tmp.resolve("x.sig")).doesNotExist();
    X509Certificate other = TestPki.selfSignedCa("Other", TestPki.ec("secp256r1"));
    assertThatThrownBy(
            () ->
                OmsSigner.withKey(key)
                    .withTimestamps(TimestampAuthority.at(tsa.url()).checkedAgainst(List.of(other)))
                    .signTo(m, tmp.resolve("y.sig"), WalkOptions.defaults()))
        .isInstanceOf(TimestampException.class)
        .hasMessageContaining("TSA trust anchor");
    URI notTsa = URI.create(tsa.url().toString().replace("/tsr", "/nothing"));
    assertThatThrownBy(() -> TimestampAuthority.at(notTsa).timestamp(new byte[] {1}))
        .isInstanceOf(TimestampException.class)
        .hasMessageContaining("HTTP 404");
  }
}
