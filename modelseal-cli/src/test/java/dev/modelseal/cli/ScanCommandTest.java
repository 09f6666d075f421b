package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelseal scan}, and {@code --scan} of {@code check} and {@code verify}. */
class ScanCommandTest {
  private static final Path FIXTURES =
      Paths.get("..", "modelseal-scan", "src", "test", "resources", "fixtures");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path tmp;

  private static String fx(String name) {
    return FIXTURES.resolve(name).toString();
  }

  @Test
  void scan_clean_exitsZero() {
    CliRun r = CliRun.of("scan", fx("torch_clean.pt"));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("1 path(s) scanned, 0 finding(s)");
  }

  @Test
  void scan_payload_exitsOne_namingRuleAndLocation() {
    CliRun r = CliRun.of("scan", fx("torch_system.pt"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("CRITICAL pickle.dangerous-import")
        .contains("member 'archive/data.pkl', GLOBAL at offset 174")
        .contains("posix.system");
  }

  @Test
  void scan_failOn_setsTheLevel() {
    assertThat(CliRun.of("scan", "--fail-on", "critical", fx("unlisted_p4.pkl")).code()).isZero();
    assertThat(CliRun.of("scan", "--fail-on", "high", fx("unlisted_p4.pkl")).code()).isEqualTo(1);
    assertThat(CliRun.of("scan", "--fail-on", "info", fx("chat_template_plain.gguf")).code())
        .isEqualTo(1);
    CliRun bad = CliRun.of("scan", "--fail-on", "severe", fx("eval_p2.pkl"));
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown severity 'severe'");
  }

  @Test
  void scan_missingPath_exitsTwo_butStillReportsFindingsOfOthers() {
    CliRun r =
        CliRun.of(
            "scan", "--fail-on", "critical", tmp.resolve("nope").toString(), fx("torch_clean.pt"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("modelseal: ").contains("no such file or directory");
    CliRun both = CliRun.of("scan", tmp.resolve("nope").toString(), fx("eval_p2.pkl"));
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.out()).contains("pickle.dangerous-import").contains("scan incomplete");
  }

  @Test
  void scan_imports_listsRatedGlobals() {
    CliRun r = CliRun.of("scan", "--imports", fx("torch_clean.pt"), fx("unlisted_p4.pkl"));
    assertThat(r.out())
        .contains("import safe torch._utils._rebuild_tensor_v2")
        .contains("import unknown bz2.open");
  }

  @Test
  void scan_json_isDocumentedShape() throws Exception {
    Path out = tmp.resolve("report.json");
    CliRun r = CliRun.of("scan", "--format", "json", "-o", out.toString(), fx("object_system.npz"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    JsonNode n = MAPPER.readTree(out.toFile());
    assertThat(n.get("format").asText()).isEqualTo("modelseal-scan/1");
    assertThat(n.get("complete").asBoolean()).isTrue();
    assertThat(n.get("worst").asText()).isEqualTo("critical");
    JsonNode f = n.get("findings").get(0);
    assertThat(f.get("rule").asText()).isEqualTo("pickle.dangerous-import");
    assertThat(f.get("severity").asText()).isEqualTo("critical");
    assertThat(f.get("location").asText()).startsWith("member 'o.npy', GLOBAL at offset");
    assertThat(n.get("imports").findValuesAsText("rating")).contains("dangerous", "safe");
    assertThat(tmp.toFile().list()).containsExactly("report.json");
  }

  @Test
  void scan_sarif_hasTheRequiredStructure() throws Exception {
    CliRun r =
        CliRun.of(
            "scan",
            "--format",
            "sarif",
            fx("torch_system.pt"),
            fx("archive.7z"),
            FIXTURES.toString());
    assertThat(r.code()).isEqualTo(1);
    JsonNode log = MAPPER.readTree(r.out());
    assertThat(log.get("version").asText()).isEqualTo("2.1.0");
    assertThat(log.get("$schema").asText()).contains("sarif-2.1.0");
    JsonNode run = log.get("runs").get(0);
    JsonNode driver = run.get("tool").get("driver");
    assertThat(driver.get("name").asText()).isEqualTo("modelseal");
    assertThat(driver.get("rules").isArray()).isTrue();
    Set<String> ruleIds = new java.util.HashSet<>();
    driver
        .get("rules")
        .forEach(
            x -> {
              assertThat(x.get("id").asText()).isNotEmpty();
              assertThat(x.get("shortDescription").get("text").asText()).isNotEmpty();
              ruleIds.add(x.get("id").asText());
            });
    assertThat(run.get("results").size()).isGreaterThan(10);
    for (JsonNode res : run.get("results")) {
      assertThat(ruleIds).contains(res.get("ruleId").asText());
      assertThat(driver.get("rules").get(res.get("ruleIndex").asInt()).get("id").asText())
          .isEqualTo(res.get("ruleId").asText());
      assertThat(res.get("level").asText()).isIn("error", "warning", "note", "none");
      assertThat(res.get("message").get("text").asText()).isNotEmpty();
      JsonNode loc = res.get("locations").get(0);
      String uri = loc.get("physicalLocation").get("artifactLocation").get("uri").asText();
      assertThat(java.net.URI.create(uri)).isNotNull();
      assertThat(uri).doesNotContain("\\").doesNotContain(" ");
    }
    assertThat(run.get("invocations").get(0).get("executionSuccessful").asBoolean()).isTrue();
  }

  @Test
  void check_scan_refusesAModelThatRunsCode() throws Exception {
    Path model = Files.copy(FIXTURES.resolve("torch_system.pt"), tmp.resolve("model.pt"));
    String digest = CliRun.of("hash", model.toString(), "--pin").out().trim();
    assertThat(CliRun.of("check", model.toString(), "--digest", digest).code()).isZero();
    CliRun r = CliRun.of("check", model.toString(), "--digest", digest, "--scan");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("UNSAFE").contains("pickle.dangerous-import");
    Path clean = Files.copy(FIXTURES.resolve("torch_clean.pt"), tmp.resolve("clean.pt"));
    String d2 = CliRun.of("hash", clean.toString(), "--pin").out().trim();
    CliRun ok = CliRun.of("check", clean.toString(), "--digest", d2, "--scan=high");
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    // --scan=critical lets an unknown (high) import pass; medium does not.
    Path unknown = Files.copy(FIXTURES.resolve("unlisted_p4.pkl"), tmp.resolve("u.pkl"));
    String d3 = CliRun.of("hash", unknown.toString(), "--pin").out().trim();
    assertThat(CliRun.of("check", unknown.toString(), "--digest", d3, "--scan=critical").code())
        .isZero();
    assertThat(CliRun.of("check", unknown.toString(), "--digest", d3, "--scan").code())
        .isEqualTo(1);
  }

  @Test
  void verify_scan_refusesASignedModelThatRunsCode() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.copy(FIXTURES.resolve("object_system.npy"), model.resolve("arr.npy"));
    Files.writeString(model.resolve("config.json"), "{}");
    TestKeys keys = TestKeys.ecP256(tmp);
    Path key = keys.key();
    Path pub = keys.pub();
    assertThat(CliRun.of("sign", model.toString(), "--key", key.toString()).code()).isZero();
    assertThat(CliRun.of("verify", model.toString(), "--public-key", pub.toString()).code())
        .isZero();
    CliRun r = CliRun.of("verify", model.toString(), "--public-key", pub.toString(), "--scan");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("UNSAFE").contains("model/arr.npy").contains("posix.system");
    CliRun j =
        CliRun.of("verify", model.toString(), "--public-key", pub.toString(), "--scan", "--json");
    assertThat(MAPPER.readTree(j.out()).get("failure").asText()).isEqualTo("SCAN");
  }
}
