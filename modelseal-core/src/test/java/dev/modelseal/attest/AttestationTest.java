package dev.modelseal.attest;

import static dev.modelseal.testing.TempModels.bytes;
import static dev.modelseal.testing.TempModels.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.digest.Digest;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.testing.TestPki;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestationTest {
  @TempDir Path dir;
  Path model;
  SigningKey key;
  VerificationKey pub;
  Path attestation;
  static final Digest WEIGHTS = Digest.sha256(new byte[32]);

  @BeforeEach
  void setUp() throws Exception {
    model = dir.resolve("digits");
    write(model, "model.onnx", bytes(3000, 1));
    write(model, "config.json", "{}");
    KeyPair kp = TestPki.ec("secp256r1");
    key =
        PemFiles.readPrivateKey(TestPki.writePkcs8(dir.resolve("key.pem"), kp.getPrivate()), null);
    pub = key.verificationKey();
    Manifest m =
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(model));
    MetricsStatement s =
        new MetricsStatement(
            m.modelName(),
            m.root(),
            Serialization.defaults(),
            Optional.of(WEIGHTS),
            Metrics.of(Map.of("f1", new BigDecimal("0.93"), "accuracy", new BigDecimal("0.951"))),
            Optional.of(new MetricsStatement.Dataset("digits-test", m.root())));
    attestation = dir.resolve("attestation.json");
    MetricsAttester.withKey(key).signTo(s, attestation);
  }

  private static AttestationException.Failure failureOf(Throwable t) {
    return ((AttestationException) t).failure();
  }

  @Test
  void verify_roundTrip_returnsTheAttestedMetrics() throws Exception {
    VerifiedAttestation a =
        AttestationVerifier.withPublicKey(pub)
            .requiring(
                List.of(
                    MetricRequirement.parse("f1>=0.90"),
                    MetricRequirement.parse("accuracy > 0.95")))
            .checkingWeights(vm -> Optional.of(WEIGHTS))
            .check(model, attestation);
    assertThat(a.metrics().values()).containsEntry("f1", new BigDecimal("0.93"));
    assertThat(a.verifiedWeights()).contains(WEIGHTS);
    assertThat(((MetricsStatement) a.statement()).dataset().orElseThrow().name())
        .isEqualTo("digits-test");
    try (VerifiedModel vm = AttestationVerifier.withPublicKey(pub).open(model, attestation)) {
      assertThat(vm.readAllBytes("config.json")).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void statementBytes_areDeterministic() throws Exception {
    MetricsStatement s =
        (MetricsStatement)
            AttestationVerifier.withPublicKey(pub).check(model, attestation).statement();
    assertThat(s.toBytes()).isEqualTo(MetricsStatement.parse(s.toBytes()).toBytes());
    assertThat(new String(s.toBytes(), StandardCharsets.UTF_8))
        .startsWith(
            "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"digits\"")
        .contains("\"metrics\":{\"accuracy\":0.951,\"f1\":0.93}");
  }

  @Test
  void requirementMissed_refused() {
    assertThatThrownBy(
            () ->
                AttestationVerifier.withPublicKey(pub)
                    .requiring(List.of(MetricRequirement.parse("f1>=0.95")))
                    .check(model, attestation))
        .satisfies(
            e ->
                assertThat(failureOf(e))
                    .isEqualTo(AttestationException.Failure.REQUIREMENT_NOT_MET))
        .hasMessageContaining("f1 is 0.93, required f1>=0.95");
    assertThatThrownBy(
            () ->
                AttestationVerifier.withPublicKey(pub)
                    .requiring(List.of(MetricRequirement.parse("recall>=0.5")))
                    .check(model, attestation))
        .hasMessageContaining("metric 'recall' is not in the attestation");
  }

  @Test
  void editedMetric_breaksTheSignature() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode env = (ObjectNode) json.readTree(attestation.toFile());
    String payload =
        new String(Base64.getDecoder().decode(env.get("payload").asText()), StandardCharsets.UTF_8);
    String forged = payload.replace("\"f1\":0.93", "\"f1\":0.99");
    assertThat(forged).isNotEqualTo(payload);
    env.put("payload", Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
    Path f = dir.resolve("forged.json");
    json.writeValue(f.toFile(), env);
    assertThatThrownBy(() -> AttestationVerifier.withPublicKey(pub).check(model, f))
        .satisfies(
            e -> assertThat(failureOf(e)).isEqualTo(AttestationException.Failure.BAD_SIGNATURE));
  }

  @Test
  void otherKey_refused() throws Exception {
    VerificationKey other = VerificationKey.of(TestPki.ec("secp256r1").getPublic());
    assertThatThrownBy(() -> AttestationVerifier.withPublicKey(other).check(model, attestation))
        .satisfies(
            e -> assertThat(failureOf(e)).isEqualTo(AttestationException.Failure.BAD_SIGNATURE));
  }

  @Test
  void modelReplaced_refused() throws Exception {
    write(model, "model.onnx", bytes(3000, 2));
    assertThatThrownBy(() -> AttestationVerifier.withPublicKey(pub).check(model, attestation))
        .satisfies(
            e -> assertThat(failureOf(e)).isEqualTo(AttestationException.Failure.MODEL_MISMATCH))
        .hasMessageContaining("not the attested one");
  }

  @Test
  void otherWeights_refused() {
    assertThatThrownBy(
            () ->
                AttestationVerifier.withPublicKey(pub)
                    .checkingWeights(
                        vm ->
                            Optional.of(
                                Digest.sha256(
                                    new byte[] {
                                      1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                                    })))
                    .check(model, attestation))
        .satisfies(
            e -> assertThat(failureOf(e)).isEqualTo(AttestationException.Failure.WEIGHTS_MISMATCH));
  }

  @Test
  void weightsReader_seesOnlyTheVerifiedCopy() throws Exception {
    List<String> seen = new java.util.ArrayList<>();
    AttestationVerifier.withPublicKey(pub)
        .checkingWeights(
            vm -> {
              seen.addAll(vm.fileNames());
              assertThat(vm.directory().orElseThrow().startsWith(model)).isFalse();
              return Optional.of(WEIGHTS);
            })
        .check(model, attestation);
    assertThat(seen).contains("config.json");
  }

  @Test
  void unreadableWeights_refused() {
    assertThatThrownBy(
            () ->
                AttestationVerifier.withPublicKey(pub)
                    .checkingWeights(vm -> Optional.empty())
                    .check(model, attestation))
        .satisfies(
            e -> assertThat(failureOf(e)).isEqualTo(AttestationException.Failure.WEIGHTS_MISMATCH))
        .hasMessageContaining("cannot be read");
  }

  @Test
  void malformedAttestations_refusedWithReason() throws Exception {
    Path notJson = Files.writeString(dir.resolve("a.json"), "{\"payload\": ");
    assertThatThrownBy(() -> AttestationVerifier.withPublicKey(pub).check(model, notJson))
        .satisfies(e -> assertThat(failureOf(e)).isEqualTo(AttestationException.Failure.MALFORMED));
    Path truncated = dir.resolve("t.json");
    byte[] full = Files.readAllBytes(attestation);
    Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> AttestationVerifier.withPublicKey(pub).check(model, truncated))
        .isInstanceOf(AttestationException.class);
  }

  @Test
  void requirementParsing() {
    assertThat(MetricRequirement.parse(" f1 >= 0.9 ").toString()).isEqualTo("f1>=0.9");
    assertThat(MetricRequirement.parse("loss<0.2").op()).isEqualTo(MetricRequirement.Op.LT);
    assertThat(MetricRequirement.parse("n==10").op()).isEqualTo(MetricRequirement.Op.EQ);
    for (String bad : List.of("f1", ">=0.9", "f1>=", "f1=>0.9", "f1>=abc", "f 1>=0.9", "f1!=3")) {
      assertThatThrownBy(() -> MetricRequirement.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    Metrics m = Metrics.of(Map.of("f1", new BigDecimal("0.90")));
    assertThat(MetricRequirement.parse("f1>=0.9").check(m)).isNull();
    assertThat(MetricRequirement.parse("f1>0.9").check(m)).isNotNull();
  }

  @Test
  void metricsFile_strict() throws Exception {
    Path f = Files.writeString(dir.resolve("m.json"), "{\"f1\": \"high\"}");
    assertThatThrownBy(() -> Metrics.read(f)).hasMessageContaining("f1 must be a number");
    Files.writeString(f, "{\"f1\": 0.9, \"f1\": 0.99}");
    assertThatThrownBy(() -> Metrics.read(f)).hasMessageContaining("Duplicate");
    Files.writeString(f, "{\"bad name\": 1}");
    assertThatThrownBy(() -> Metrics.read(f)).hasMessageContaining("only letters");
    Files.writeString(f, "{}");
    assertThatThrownBy(() -> Metrics.read(f)).hasMessageContaining("empty");
  }
}
