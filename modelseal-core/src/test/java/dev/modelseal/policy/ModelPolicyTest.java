package dev.modelseal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelPolicyTest {
  private static final String PIN =
      "pin:v1:sha256:13fa11688c471e729cafe537bcf5e44492b5b790ba642e3d0c9abb87d214201c";

  @TempDir Path tmp;

  private ModelPolicy policy(String json) throws Exception {
    return ModelPolicy.read(Files.writeString(tmp.resolve("policy.json"), json));
  }

  private static String rules(String rules) {
    return "{\"version\": 1, \"mode\": \"enforce\", \"rules\": [" + rules + "]}";
  }

  @Test
  void firstCoveringRuleDecides_filesResolvedBesideThePolicy() throws Exception {
    ModelPolicy p =
        policy(
            rules(
                "{\"name\": \"team\", \"sources\": [\"oci://r.example/team/*\"],"
                    + " \"trust\": {\"publicKey\": \"keys/team.pub\"}, \"scan\": \"high\","
                    + " \"require\": [\"f1>=0.9\"], \"mode\": \"warn\"},"
                    + "{\"sources\": [\"oci://r.example/*\", \"s3://bucket/models/llm\"],"
                    + " \"pin\": \""
                    + PIN
                    + "\"}"));
    PolicyRule team = p.ruleFor("oci://r.example/team/llm:1").orElseThrow();
    assertThat(team.name()).isEqualTo("team");
    assertThat(team.mode()).isEqualTo(ModelPolicy.Mode.WARN);
    assertThat(team.scan()).contains("high");
    assertThat(team.requirements()).containsExactly("f1>=0.9");
    assertThat(team.trust().orElseThrow())
        .isEqualTo(new PolicyTrust.PublicKeyFile(tmp.resolve("keys/team.pub")));
    PolicyRule other = p.ruleFor("oci://r.example/other:2").orElseThrow();
    assertThat(other.name()).isEqualTo("rules[1]");
    assertThat(other.pin()).contains(PIN);
    assertThat(other.mode()).isEqualTo(ModelPolicy.Mode.ENFORCE);
    assertThat(p.ruleFor("s3://bucket/models/llm")).contains(other);
    // Exact patterns are exact; a prefix is plain text.
    assertThat(p.ruleFor("s3://bucket/models/llm2")).isEmpty();
    assertThat(p.ruleFor("oci://r.example.evil/team/x")).isEmpty();
    assertThat(p.ruleFor("/srv/models/llm")).isEmpty();
  }

  @Test
  void keylessAndTrustAnchors() throws Exception {
    ModelPolicy p =
        policy(
            rules(
                "{\"sources\": [\"/srv/a/*\"], \"trust\": {\"keyless\": {\"identity\":"
                    + " \"ci@example.com\", \"issuer\": \"https://issuer\", \"trustedRoot\":"
                    + " \"/etc/trusted_root.json\"}}},"
                    + "{\"sources\": [\"/srv/b/*\"], \"trust\": {\"trustAnchors\": [\"ca.pem\"]}}"));
    assertThat(p.ruleFor("/srv/a/m").orElseThrow().trust().orElseThrow())
        .isEqualTo(
            new PolicyTrust.Keyless(
                Path.of("/etc/trusted_root.json"), "ci@example.com", "https://issuer"));
    assertThat(p.ruleFor("/srv/b/m").orElseThrow().trust().orElseThrow())
        .isEqualTo(new PolicyTrust.TrustAnchors(java.util.List.of(tmp.resolve("ca.pem"))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "{\"version\": 2, \"mode\": \"enforce\", \"rules\": [{\"sources\": [\"/a\"], \"pin\":"
            + " \"PIN\"}]}",
        "{\"version\": 1, \"mode\": \"audit\", \"rules\": [{\"sources\": [\"/a\"], \"pin\":"
            + " \"PIN\"}]}",
        "{\"version\": 1, \"mode\": \"enforce\", \"rules\": []}",
        "{\"version\": 1, \"mode\": \"enforce\", \"rules\": [], \"extra\": 1}",
        "RULE{\"sources\": [\"/a\"], \"pin\": \"PIN\", \"unknown\": true}",
        "RULE{\"sources\": [\"/a\"]}",
        "RULE{\"sources\": [\"/a\"], \"pin\": \"PIN\", \"trust\": {\"publicKey\": \"k\"}}",
        "RULE{\"sources\": [], \"pin\": \"PIN\"}",
        "RULE{\"sources\": [\"relative/*\"], \"pin\": \"PIN\"}",
        "RULE{\"sources\": [\"oci://r/*/x\"], \"pin\": \"PIN\"}",
        "RULE{\"sources\": [\"oci://r/?\"], \"pin\": \"PIN\"}",
        "RULE{\"sources\": [\"/a\"], \"pin\": \"sha256:"
            + "13fa11688c471e729cafe537bcf5e44492b5b790ba642e3d0c9abb87d214201c\"}",
        "RULE{\"sources\": [\"/a\"], \"pin\": \"PIN\", \"scan\": \"severe\"}",
        "RULE{\"sources\": [\"/a\"], \"trust\": {\"publicKey\": \"k\"}, \"require\":"
            + " [\"f1 ~ 3\"]}",
        "RULE{\"sources\": [\"/a\"], \"pin\": \"PIN\", \"require\": [\"f1>=0.5\"]}",
        "RULE{\"sources\": [\"/a\"], \"trust\": {}}",
        "RULE{\"sources\": [\"/a\"], \"trust\": {\"publicKey\": \"k\", \"trustAnchors\":"
            + " [\"c\"]}}",
        "RULE{\"sources\": [\"/a\"], \"trust\": {\"keyless\": {\"identity\": \"x\"}}}",
        "RULE{\"sources\": [\"/a\"], \"trust\": {\"publicKey\": \"\"}}",
        "{\"version\": 1, \"version\": 1, \"mode\": \"enforce\", \"rules\": [{\"sources\":"
            + " [\"/a\"], \"pin\": \"PIN\"}]}",
      })
  void invalidPolicies_refusedWithTheFileAndThePlace(String text) throws Exception {
    String json = text.startsWith("RULE") ? rules(text.substring(4)) : text;
    Path f = Files.writeString(tmp.resolve("bad.json"), json.replace("PIN", PIN));
    assertThatThrownBy(() -> ModelPolicy.read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f.toString() + ": ")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\n"));
  }

  @Test
  void limits_sizeAndCounts() throws Exception {
    Path big = tmp.resolve("big.json");
    Files.write(big, new byte[ModelPolicy.MAX_BYTES + 1]);
    assertThatThrownBy(() -> ModelPolicy.read(big)).hasMessageContaining("larger than");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= ModelPolicy.MAX_RULES; i++) {
      many.append(i == 0 ? "" : ",").append("{\"sources\": [\"/a\"], \"pin\": \"" + PIN + "\"}");
    }
    assertThatThrownBy(() -> policy(rules(many.toString()))).hasMessageContaining("rules must");
    String longSource = "/" + "a".repeat(ModelPolicy.MAX_TEXT);
    assertThatThrownBy(
            () ->
                policy(rules("{\"sources\": [\"" + longSource + "\"], \"pin\": \"" + PIN + "\"}")))
        .hasMessageContaining("longer than");
  }
}
