package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output hygiene and the user-side acceptance of {@code modelseal scan}: names that would forge the
 * report are escaped, errors go to standard error, {@code --quiet}, the skipped-count line, {@code
 * --allow} and {@code --baseline}.
 */
class ScanOutputTest {
  private static final Path FIXTURES =
      Paths.get("..", "modelseal-scan", "src", "test", "resources", "fixtures");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path tmp;

  /**
   * A directory holding a payload under a name with a newline, an escape sequence and a BiDi
   * override.
   */
  private Path forgedNames() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Files.copy(
        FIXTURES.resolve("eval_p2.pkl"),
        dir.resolve("a.pkl\n1 path(s) scanned, 0 finding(s)\u001b[2J\u202e"));
    Files.writeString(dir.resolve("notes\u001b]0;x\u0007.txt"), "hello");
    return dir;
  }

  @Test
  void controlCharactersInNames_areEscapedInText() throws Exception {
    CliRun r = CliRun.of("scan", forgedNames().toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\u0007");
    assertThat(r.out().lines().filter(l -> l.startsWith("1 path(s) scanned"))).hasSize(1);
    assertThat(r.out())
        .contains("a.pkl\\n1 path(s) scanned, 0 finding(s)\\e[2J\\u202e")
        .contains("1 finding(s) (1 critical)");
  }

  @Test
  void controlCharactersInNames_areEscapedInSarif_andJsonStaysJson() throws Exception {
    Path dir = forgedNames();
    CliRun s = CliRun.of("scan", "--format", "sarif", dir.toString());
    assertThat(s.out()).doesNotContain("\\u001B").doesNotContain("\\u001b");
    JsonNode sarif = MAPPER.readTree(s.out());
    JsonNode res = sarif.at("/runs/0/results/0");
    assertThat(res.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .contains("%0A")
        .doesNotContain("\n");
    assertThat(res.at("/partialFingerprints/modelseal~1v1").asText()).hasSize(64);
    CliRun j = CliRun.of("scan", "--format", "json", dir.toString());
    JsonNode json = MAPPER.readTree(j.out());
    assertThat(json.at("/findings/0/file").asText()).contains("\n"); // JSON escapes it itself
  }

  @Test
  void errors_goToStandardError_andQuietPrintsOnlyFindings() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.copy(FIXTURES.resolve("eval_p2.pkl"), dir.resolve("a.pkl"));
    Files.writeString(dir.resolve("README.md"), "# text");
    Files.writeString(dir.resolve("LICENSE"), "text");
    CliRun r = CliRun.of("scan", dir.toString(), tmp.resolve("missing").toString());
    assertThat(r.code()).isEqualTo(1); // a finding at the level wins over the error (exit 2)
    assertThat(r.err()).contains("modelseal: ").contains("missing").contains("no such file");
    assertThat(r.out()).doesNotContain("ERROR").doesNotContain("skipped " + dir);
    assertThat(r.out()).contains("2 item(s) skipped (2 text, not a model format)");
    CliRun q = CliRun.of("scan", "--quiet", dir.toString());
    assertThat(q.out().lines()).singleElement().asString().startsWith("CRITICAL ");
  }

  @Test
  void allow_suppressesReviewedGlobalsButNeverADangerousOne() throws Exception {
    Path allow = tmp.resolve("allow.json");
    Files.writeString(
        allow,
        "{\"format\":\"modelseal-scan-allow/1\",\"comment\":\"reviewed 2026-12\","
            + "\"globals\":[\"bz2.open\",\"builtins.eval\"]}");
    CliRun ok =
        CliRun.of(
            "scan", "--allow", allow.toString(), FIXTURES.resolve("unlisted_p4.pkl").toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("0 finding(s), 1 suppressed");
    CliRun bad =
        CliRun.of("scan", "--allow", allow.toString(), FIXTURES.resolve("eval_p2.pkl").toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("pickle.dangerous-import");
  }

  @Test
  void allow_fileDigestAcceptsThatExactFile() throws Exception {
    Path f = Files.copy(FIXTURES.resolve("eval_p2.pkl"), tmp.resolve("x.pkl"));
    String digest =
        "sha256:"
            + java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(f)));
    Path allow = tmp.resolve("allow.json");
    Files.writeString(
        allow, "{\"format\":\"modelseal-scan-allow/1\",\"files\":[\"" + digest + "\"]}");
    CliRun r = CliRun.of("scan", "--format", "json", "--allow", allow.toString(), f.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    JsonNode n = MAPPER.readTree(r.out());
    assertThat(n.get("findings")).isEmpty();
    assertThat(n.at("/suppressed/0/by").asText()).isEqualTo("allowlist file digest");
  }

  @Test
  void allow_isParsedStrictly() throws Exception {
    Path allow = tmp.resolve("allow.json");
    Files.writeString(allow, "{\"format\":\"modelseal-scan-allow/1\",\"global\":[\"x.y\"]}");
    CliRun r =
        CliRun.of("scan", "--allow", allow.toString(), FIXTURES.resolve("eval_p2.pkl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown allowlist key 'global'");
    Files.writeString(allow, "{\"format\":\"modelseal-scan-allow/1\",\"files\":[\"sha256:ABC\"]}");
    assertThat(CliRun.of("scan", "--allow", allow.toString(), tmp.toString()).err())
        .contains("is not sha256:<64 lowercase hex digits>");
  }

  @Test
  void baseline_reportsOnlyNewFindings() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("b"));
    Files.copy(FIXTURES.resolve("unlisted_p4.pkl"), dir.resolve("old.pkl"));
    Path sarif = tmp.resolve("base.sarif");
    assertThat(
            CliRun.of("scan", "--format", "sarif", "-o", sarif.toString(), dir.toString()).code())
        .isEqualTo(1);
    assertThat(CliRun.of("scan", "--baseline", sarif.toString(), dir.toString()).code()).isZero();
    Files.copy(FIXTURES.resolve("eval_p2.pkl"), dir.resolve("new.pkl"));
    CliRun r = CliRun.of("scan", "--baseline", sarif.toString(), dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("new.pkl").doesNotContain("old.pkl").contains("1 suppressed");
    Files.writeString(
        sarif, "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"other\"}}}]}");
    assertThat(CliRun.of("scan", "--baseline", sarif.toString(), dir.toString()).err())
        .contains("not from modelseal");
  }
}
