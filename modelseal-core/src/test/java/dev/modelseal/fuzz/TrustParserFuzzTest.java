package dev.modelseal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationVerifier;
import dev.modelseal.attest.MetricRequirement;
import dev.modelseal.attest.Metrics;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.digest.Digest;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.pin.LockEntry;
import dev.modelseal.pin.ModelLock;
import dev.modelseal.pin.ModelPin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One Jazzer harness per trust parser of the core (sigstore-java's one fuzzer per parser): the
 * signature bundle, the DSSE envelope, the lock file, PEM keys and certificates, metrics files,
 * metrics statements, pin and digest strings, and metric attestations. Each input is either
 * accepted or refused with the parser's documented exception and a one-line message; anything else
 * is a finding. The bundle and attestation harnesses go on to verify the input against a committed
 * model and public key ({@code fixture/}), so that what parses reaches the verifier.
 *
 * <p>Without {@code JAZZER_FUZZ} each harness runs over its committed seeds ({@code
 * TrustParserFuzzTestInputs/<method>/}, written by {@link FuzzSeeds}); see {@code FUZZING.md}.
 */
class TrustParserFuzzTest {
  private static final Path DIR = Fuzz.tempDirectory("modelseal-core-fuzz");
  private static final Path MODEL = Fuzz.fixture().resolve("model");
  private static final VerificationKey KEY = key();

  private static VerificationKey key() {
    try {
      return PemFiles.readPublicKey(Fuzz.fixture().resolve("pub.pem"));
    } catch (ModelsealException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void bundle(byte[] data) throws Exception {
    Fuzz.expect(
        () -> OmsBundle.parse(data, Path.of("fuzz.sig")), SignatureVerificationException.class);
    Path sig = Fuzz.write(DIR.resolve("model.sig"), data);
    Fuzz.expect(() -> OmsVerifier.withPublicKey(KEY).check(MODEL, sig), ModelsealException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void envelope(byte[] data) throws Exception {
    Fuzz.expect(
        () -> {
          Envelope e = Envelope.read(StrictJson.parseObject(data), "envelope");
          // What is written back reads back the same.
          Envelope again = Envelope.read(e.toJson(), "envelope");
          if (!java.util.Arrays.equals(again.pae(), e.pae())) {
            throw new AssertionError("the envelope does not survive writing and reading");
          }
        },
        IllegalArgumentException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void lockFile(byte[] data) throws Exception {
    Fuzz.expect(
        () -> {
          ModelLock lock = ModelLock.parse(data, Path.of("fuzz.lock"));
          ModelLock again =
              ModelLock.parse(lock.toJson().getBytes(StandardCharsets.UTF_8), Path.of("again"));
          if (!again.entries().equals(lock.entries())) {
            throw new AssertionError("the lock does not survive writing and reading");
          }
          for (LockEntry e : lock.entries()) {
            Fuzz.expect(() -> e.pin().check(MODEL), ModelsealException.class);
          }
        },
        InvalidInputException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void pem(byte[] data) throws Exception {
    Path f = Fuzz.write(DIR.resolve("key.pem"), data);
    Fuzz.expect(() -> PemFiles.readPublicKey(f), InvalidInputException.class);
    Fuzz.expect(() -> PemFiles.readCertificates(f), InvalidInputException.class);
    Fuzz.expect(() -> PemFiles.readPrivateKey(f, null), InvalidInputException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void metrics(byte[] data) throws Exception {
    Path f = Fuzz.write(DIR.resolve("metrics.json"), data);
    Fuzz.expect(() -> Metrics.read(f), InvalidInputException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void metricsStatement(byte[] data) throws Exception {
    Fuzz.expect(
        () -> {
          MetricsStatement s = MetricsStatement.parse(data);
          MetricsStatement again = MetricsStatement.parse(s.toBytes());
          if (!java.util.Arrays.equals(again.toBytes(), s.toBytes())) {
            throw new AssertionError("the statement does not survive writing and reading");
          }
        },
        IllegalArgumentException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void pinString(byte[] data) throws Exception {
    String text = new String(data, StandardCharsets.UTF_8);
    Fuzz.expect(
        () -> {
          PinDigest p = PinDigest.parse(text);
          if (!PinDigest.parse(p.toString()).equals(p)) {
            throw new AssertionError("the pin does not survive printing and parsing");
          }
        },
        IllegalArgumentException.class);
    Fuzz.expect(() -> ModelPin.of(text), IllegalArgumentException.class);
    Fuzz.expect(() -> ModelPin.ofOmsRoot(text), IllegalArgumentException.class);
    Fuzz.expect(() -> Digest.parse(text), IllegalArgumentException.class);
    Fuzz.expect(() -> MetricRequirement.parse(text), IllegalArgumentException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void attestation(byte[] data) throws Exception {
    Path f = Fuzz.write(DIR.resolve("attestation.json"), data);
    Fuzz.expect(
        () -> AttestationVerifier.withPublicKey(KEY).check(MODEL, f), ModelsealException.class);
  }
}
