package dev.modelseal.bom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.attest.ClaimsFile;
import dev.modelseal.attest.ClaimsReport;
import dev.modelseal.attest.ClaimsVerifier;
import dev.modelseal.attest.Metrics;
import dev.modelseal.attest.MetricsAttester;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.testing.TestPki;
import dev.modelseal.walk.ModelWalker;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CycloneDX 1.6 BOM, validated against the official 1.6 JSON schema the library ships. */
class ModelBomTest {
  /** transformers' save_pretrained output with auto_map (modelseal-scan's generate_closure.py). */
  static final Path REMOTE_CODE = Path.of("../modelseal-scan/src/test/resources/fixtures/closure");

  @TempDir Path dir;

  private Path model() throws Exception {
    Path m = dir.resolve("tiny");
    Files.createDirectories(m);
    try (Stream<Path> s = Files.list(REMOTE_CODE.resolve("remote_code"))) {
      for (Path p : s.toList()) {
        Files.copy(p, m.resolve(p.getFileName()));
      }
    }
    Files.copy(
        REMOTE_CODE.resolve("adapter_loose/adapter_config.json"), m.resolve("adapter_config.json"));
    return m;
  }

  private static List<ParseException> validate(byte[] json) throws Exception {
    return new JsonParser().validate(json, Version.VERSION_16);
  }

  @Test
  void bom_isValidCycloneDx16_withFilesWeightsScanMetricsAndDependencies() throws Exception {
    Path m = model();
    SigningKey key =
        PemFiles.readPrivateKey(
            TestPki.writePkcs8(dir.resolve("k.pem"), TestPki.ec("secp256r1").getPrivate()), null);
    Manifest man =
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(Serialization.defaults().walk()).walk(m));
    Path att = dir.resolve("metrics.att");
    MetricsAttester.withKey(key)
        .signTo(
            new MetricsStatement(
                man.modelName(),
                man.root(),
                Serialization.defaults(),
                Optional.empty(),
                Metrics.of(Map.of("f1", new BigDecimal("0.91"))),
                Optional.of(new MetricsStatement.Dataset("eval", man.root()))),
            att);
    Path claims = dir.resolve("claims.jsonl");
    ClaimsFile.append(claims, ClaimsFile.compact(Files.readAllBytes(att)));
    ClaimsReport report = ClaimsVerifier.withPublicKey(key.verificationKey()).verify(m, claims);
    assertThat(report.verified()).isTrue();

    byte[] json =
        ModelBom.create(ModelScanner.create())
            .cycloneDx(
                m,
                Serialization.defaults(),
                new Evidence(
                    Optional.of(
                        new Evidence.SignatureOutcome("model.sig", false, "hint", "not signed")),
                    Optional.of(report)));
    assertThat(validate(json)).isEmpty();

    JsonNode bom = new ObjectMapper().readTree(json);
    assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
    JsonNode c = bom.path("metadata").path("component");
    assertThat(c.path("type").asText()).isEqualTo("machine-learning-model");
    List<String> props = new ArrayList<>();
    c.path("properties")
        .forEach(p -> props.add(p.path("name").asText() + "=" + p.path("value").asText()));
    assertThat(props)
        .contains("modelseal:oms:root=" + man.root(), "modelseal:pin=" + man.pin())
        .contains("modelseal:scan:worst=high", "modelseal:claims:verified=true")
        .contains("modelseal:signature:verified=false", "modelseal:formats=safetensors");
    assertThat(c.path("components")).hasSize(5);
    JsonNode st = findByName(c.path("components"), "model.safetensors");
    assertThat(st.path("hashes").get(0).path("content").asText())
        .isEqualTo(man.byName().get("model.safetensors").digest().hex());
    assertThat(st.toString()).contains("modelseal:weights:content");
    JsonNode metric =
        c.path("modelCard").path("quantitativeAnalysis").path("performanceMetrics").get(0);
    assertThat(metric.path("type").asText()).isEqualTo("f1");
    assertThat(metric.path("value").asText()).isEqualTo("0.91");
    JsonNode dep = findByName(bom.path("components"), "example-org/base-model");
    assertThat(dep.path("type").asText()).isEqualTo("machine-learning-model");
    assertThat(dep.toString()).contains("\"modelseal:dependency:pinned\",\"value\":\"false\"");
    assertThat(bom.path("dependencies").get(0).path("ref").asText()).isEqualTo("model");
  }

  @Test
  void theSchemaCheckCanFail() throws Exception {
    byte[] json =
        ModelBom.create(ModelScanner.create())
            .cycloneDx(model(), Serialization.defaults(), Evidence.none());
    ObjectNode bom = (ObjectNode) new ObjectMapper().readTree(json);
    ((ObjectNode) bom.path("metadata").path("component")).put("type", "no-such-type");
    assertThat(validate(new ObjectMapper().writeValueAsBytes(bom))).isNotEmpty();
  }

  private static JsonNode findByName(JsonNode array, String name) {
    for (JsonNode n : array) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError(name + " not in " + array);
  }
}
