package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy check}, {@code verify --policy} on local models (oci:// in OciCommandsTest). */
class PolicyCommandTest {
  @TempDir Path tmp;
  Path model;
  TestKeys keys;
  Path pub;

  @BeforeEach
  void setUp() throws Exception {
    Path models = Files.createDirectories(tmp.resolve("models"));
    model = TestKeys.smallModel(models);
    keys = TestKeys.ecP256(tmp);
    pub = keys.pub();
    CliRun s = CliRun.of("sign", model.toString(), "--key", keys.key().toString());
    assertThat(s.code()).as(s.err()).isZero();
  }

  private Path policy(String mode, String rule) throws Exception {
    return Files.writeString(
        tmp.resolve("policy.json"),
        "{\"version\": 1, \"mode\": \"" + mode + "\", \"rules\": [" + rule + "]}");
  }

  private String keyRule(String extra) {
    return "{\"name\": \"models\", \"sources\": [\""
        + tmp.resolve("models").toAbsolutePath()
        + "/*\"], \"trust\": {\"publicKey\": \"pub.pem\"}"
        + extra
        + "}";
  }

  @Test
  void verifyUnderAKeyRule_namesTheRule_andFailsOnATamperedModel() throws Exception {
    Path p = policy("enforce", keyRule(", \"scan\": \"high\""));
    CliRun ok = CliRun.of("verify", model.toString(), "--policy", p.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out())
        .startsWith("Policy " + p + ": rule 'models' (enforce) decides for " + model + "\n")
        .contains("Verified " + model);
    Files.writeString(model.resolve("config.json"), "{\"x\": 1}");
    CliRun bad = CliRun.of("verify", model.toString(), "--policy=" + p);
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("NOT VERIFIED " + model).contains("config.json");
    assertThat(bad.err()).doesNotContain("WARNING");
  }

  @Test
  void warnMode_reportsLoudly_exits0_butUnusableInputStays2() throws Exception {
    Path p = policy("warn", keyRule(""));
    Files.writeString(model.resolve("config.json"), "{\"x\": 1}");
    CliRun warned = CliRun.of("verify", model.toString(), "--policy", p.toString());
    assertThat(warned.code()).isZero();
    assertThat(warned.out()).contains("NOT VERIFIED " + model);
    assertThat(warned.err()).contains("WARNING").contains("NOT VERIFIED").contains("'models'");
    Files.writeString(model.resolve("model.sig"), "not json");
    CliRun broken = CliRun.of("verify", model.toString(), "--policy", p.toString());
    assertThat(broken.code()).isEqualTo(2);
  }

  @Test
  void aSourceNoRuleCovers_isNotVerified() throws Exception {
    Path p =
        policy(
            "enforce", "{\"sources\": [\"/nowhere/*\"], \"trust\": {\"publicKey\": \"pub.pem\"}}");
    CliRun r = CliRun.of("verify", model.toString(), "--policy", p.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("NOT VERIFIED").contains("no rule of the policy");
  }

  @Test
  void jsonOutput_carriesThePolicy_andFollowsTheSchema() throws Exception {
    JsonSchemaTest.schemas();
    Path p = policy("warn", keyRule(""));
    CliRun ok = CliRun.of("verify", model.toString(), "--policy", p.toString(), "--json");
    assertThat(ok.code()).as(ok.err()).isZero();
    JsonNode n = JsonSchemaTest.valid("verify", ok.out());
    assertThat(n.at("/policy/rule").asText()).isEqualTo("models");
    assertThat(n.at("/policy/mode").asText()).isEqualTo("warn");
    assertThat(n.at("/policy/warned").asBoolean()).isFalse();
    Files.writeString(model.resolve("config.json"), "{\"x\": 1}");
    CliRun warned = CliRun.of("verify", model.toString(), "--policy", p.toString(), "--json");
    JsonNode w = JsonSchemaTest.valid("verify", warned.out());
    assertThat(w.get("verified").asBoolean()).isFalse();
    assertThat(w.at("/policy/warned").asBoolean()).isTrue();
    CliRun none =
        CliRun.of(
            "verify",
            model.toString(),
            "--policy",
            policy("enforce", "{\"sources\": [\"/x\"], \"pin\": \"" + pin() + "\"}").toString(),
            "--json");
    JsonNode u = JsonSchemaTest.valid("verify", none.out());
    assertThat(u.get("failure").asText()).isEqualTo("POLICY");
    assertThat(u.at("/policy/rule").isNull()).isTrue();
  }

  private String pin() {
    CliRun h = CliRun.of("hash", model.toString(), "--pin");
    assertThat(h.code()).isZero();
    return h.out().trim();
  }

  @Test
  void aPinRule_checksTheLocalModelAgainstItsPin() throws Exception {
    Files.delete(model.resolve("model.sig"));
    String pin = pin();
    Path p =
        policy(
            "enforce",
            "{\"sources\": [\"" + model.toAbsolutePath() + "\"], \"pin\": \"" + pin + "\"}");
    CliRun ok = CliRun.of("verify", model.toString(), "--policy", p.toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    Files.writeString(model.resolve("config.json"), "{\"x\": 1}");
    assertThat(CliRun.of("verify", model.toString(), "--policy", p.toString()).code()).isEqualTo(1);
  }

  @Test
  void requirements_areCheckedInTheClaimsFile() throws Exception {
    Files.delete(model.resolve("model.sig"));
    Path metrics = Files.writeString(tmp.resolve("metrics.json"), "{\"f1\": 0.8}");
    Path claims = model.resolve("model.claims.jsonl");
    CliRun a =
        CliRun.of(
            "attest",
            model.toString(),
            "--metrics",
            metrics.toString(),
            "--key",
            keys.key().toString(),
            "--append",
            claims.toString(),
            "-o",
            tmp.resolve("m.att").toString());
    assertThat(a.code()).as(a.err()).isZero();
    Path sig = tmp.resolve("model.sig");
    CliRun s =
        CliRun.of(
            "sign",
            model.toString(),
            "--key",
            keys.key().toString(),
            "--ignore",
            "model.claims.jsonl",
            "-o",
            sig.toString());
    assertThat(s.code()).as(s.err()).isZero();
    String[] common = {"--signature", sig.toString(), "--ignore", "model.claims.jsonl"};
    Path met = policy("enforce", keyRule(", \"require\": [\"f1>=0.75\"]"));
    CliRun ok = verify(met, common);
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("Verified " + model).contains("claims for");
    Path unmet = policy("enforce", keyRule(", \"require\": [\"f1>=0.9\"]"));
    CliRun bad = verify(unmet, common);
    assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(1);
    assertThat(bad.out()).contains("requirement not met");
  }

  private CliRun verify(Path policy, String... more) {
    java.util.List<String> a =
        new java.util.ArrayList<>(
            java.util.List.of("verify", model.toString(), "--policy", policy.toString()));
    a.addAll(java.util.List.of(more));
    return CliRun.of(a.toArray(String[]::new));
  }

  @Test
  void yamlPolicy_readTheSame_andDuplicateKeysRefused() throws Exception {
    Path y =
        Files.writeString(
            tmp.resolve("policy.yaml"),
            "version: 1\nmode: enforce\nrules:\n  - name: models\n    sources: [\""
                + tmp.resolve("models").toAbsolutePath()
                + "/*\"]\n    trust:\n      publicKey: pub.pem\n");
    CliRun ok = CliRun.of("verify", model.toString(), "--policy", y.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    Path dup = Files.writeString(tmp.resolve("dup.yml"), "version: 1\nversion: 1\nmode: warn\n");
    CliRun bad = CliRun.of("policy", "check", dup.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("modelseal: " + dup + ": not a YAML policy")
        .doesNotContain("\tat ");
  }

  @Test
  void policyCheck_validSummarised_invalidExit2_missingKeyNamed() throws Exception {
    Path p = policy("enforce", keyRule(", \"scan\": \"medium\""));
    CliRun ok = CliRun.of("policy", "check", p.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("valid, 1 rule, mode enforce").contains("rule 'models'");
    Path unknown =
        Files.writeString(
            tmp.resolve("u.json"),
            "{\"version\": 1, \"mode\": \"enforce\", \"rules\": [{\"sources\": [\"/a\"], \"pin\": \"x\", \"trusted\": 1}]}");
    CliRun u = CliRun.of("policy", "check", unknown.toString());
    assertThat(u.code()).isEqualTo(2);
    assertThat(u.err()).contains("unknown field 'trusted'").hasLineCount(1);
    Files.delete(pub);
    CliRun missing = CliRun.of("policy", "check", p.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("pub.pem");
    assertThat(CliRun.of("policy", "check", tmp.resolve("none.json").toString()).code())
        .isEqualTo(2);
  }

  @Test
  void policyAndTrustOptions_exclusive_andOneIsNeeded() throws Exception {
    Path p = policy("enforce", keyRule(""));
    CliRun both =
        CliRun.of(
            "verify", model.toString(), "--policy", p.toString(), "--public-key", pub.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--policy takes the place");
    CliRun none = CliRun.of("verify", model.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("--policy");
  }

  @Test
  void theSchemaAcceptsTheDocumentedPolicy_andRefusesWhatTheParserRefuses() throws Exception {
    JsonSchemaTest.schemas();
    JsonSchema schema =
        JsonSchemaTest.factory.getSchema(
            SchemaLocation.of("https://modelseal.dev/schemas/policy.v1.json"));
    String good =
        "{\"version\": 1, \"mode\": \"warn\", \"rules\": ["
            + keyRule(", \"scan\": \"high\"")
            + "]}";
    assertThat(schema.validate(JsonSchemaTest.OM.readTree(good))).isEmpty();
    assertThat(
            CliRun.of("policy", "check", Files.writeString(tmp.resolve("g.json"), good).toString())
                .code())
        .isZero();
    for (String bad :
        new String[] {
          good.replace("\"warn\"", "\"audit\""),
          good.replace("\"scan\"", "\"scanner\""),
          good.replace("/*\"]", "/*/x\"]"),
          good.replace("\"trust\": {\"publicKey\": \"pub.pem\"}", "\"pin\": \"sha256:00\""),
        }) {
      assertThat(schema.validate(JsonSchemaTest.OM.readTree(bad))).as(bad).isNotEmpty();
      Path f = Files.writeString(tmp.resolve("b.json"), bad);
      assertThat(CliRun.of("policy", "check", f.toString()).code()).as(bad).isEqualTo(2);
    }
  }
}
