package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.testing.TestPki;
import dev.modelseal.testing.TestTsa;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sign --tsa-url} and {@code verify --tsa-trust-anchor} with a real TSA on 127.0.0.1. */
class TimestampCommandTest {
  static TestTsa tsa;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    tsa = TestTsa.start();
  }

  @AfterAll
  static void stop() {
    tsa.close();
  }

  @Test
  void expiredLeafVerifiesAtTheTimestampsTime() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    KeyPair caKey = TestPki.ec("secp256r1");
    X509Certificate ca = TestPki.selfSignedCa("CLI CA", caKey);
    KeyPair kp = TestPki.ec("secp256r1");
    Instant now = Instant.now();
    X509Certificate leaf =
        TestPki.leaf(
            "release",
            kp.getPublic(),
            "CLI CA",
            caKey.getPrivate(),
            true,
            now.minus(Duration.ofDays(10)),
            now.minus(Duration.ofDays(5)));
    Path key = TestPki.writePkcs8(tmp.resolve("key.pem"), kp.getPrivate());
    Path cert = TestPki.writeCertificates(tmp.resolve("leaf.pem"), leaf);
    Path anchor = TestPki.writeCertificates(tmp.resolve("ca.pem"), ca);
    Path tsaRoot = TestPki.writeCertificates(tmp.resolve("tsa.pem"), tsa.root);
    tsa.genTime.set(now.minus(Duration.ofDays(7)));
    CliRun s =
        CliRun.of(
            "sign",
            model.toString(),
            "--key",
            key.toString(),
            "--certificate",
            cert.toString(),
            "--tsa-url",
            tsa.url().toString(),
            "--tsa-certificate",
            tsaRoot.toString());
    assertThat(s.code()).as(s.err()).isZero();
    CliRun plain = CliRun.of("verify", model.toString(), "--trust-anchor", anchor.toString());
    assertThat(plain.code()).isEqualTo(1);
    assertThat(plain.out() + plain.err()).contains("expired");
    CliRun v =
        CliRun.of(
            "verify",
            model.toString(),
            "--trust-anchor",
            anchor.toString(),
            "--tsa-trust-anchor",
            tsaRoot.toString());
    assertThat(v.code()).as(v.err()).isZero();
    CliRun wrong =
        CliRun.of(
            "verify",
            model.toString(),
            "--trust-anchor",
            anchor.toString(),
            "--tsa-trust-anchor",
            anchor.toString());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.out() + wrong.err()).contains("TSA trust anchor");
    assertThat((wrong.out() + wrong.err()).lines()).hasSize(1);
    CliRun both =
        CliRun.of(
            "verify",
            model.toString(),
            "--trust-anchor",
            anchor.toString(),
            "--tsa-trust-anchor",
            tsaRoot.toString(),
            "--at",
            "2025-01-01T00:00:00Z");
    assertThat(both.code()).isEqualTo(2);
  }

  @Test
  void unreachableTsaIsOneLineExitTwo() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    TestKeys keys = TestKeys.ecP256(tmp);
    CliRun s =
        CliRun.of(
            "sign",
            model.toString(),
            "--key",
            keys.key().toString(),
            "--tsa-url",
            "http://127.0.0.1:1/tsr");
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err()).startsWith("modelseal: http://127.0.0.1:1/tsr: cannot reach the TSA");
    assertThat(s.err().lines()).hasSize(1);
    assertThat(model.resolve("model.sig")).doesNotExist();
  }
}
