package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code --json} / {@code --format json} output, in each of its outcomes, validates against
 * its schema under {@code docs/schemas/} and names that schema in its {@code schema} field.
 */
class JsonSchemaTest {
  static final Path SCHEMAS = Path.of("..", "docs", "schemas").toAbsolutePath().normalize();
  static final ObjectMapper OM = new ObjectMapper();
  static JsonSchemaFactory factory;

  @TempDir Path dir;

  @BeforeAll
  static void schemas() throws Exception {
    Map<String, String> map = new HashMap<>();
    try (var s = Files.list(SCHEMAS)) {
      s.forEach(
          p -> map.put("https://modelseal.dev/schemas/" + p.getFileName(), p.toUri().toString()));
    }
    assertThat(map).hasSizeGreaterThanOrEqualTo(8);
    factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(sm -> sm.mappings(map)));
  }

  /** Validates {@code json} against schema {@code name} and returns it parsed. */
  static JsonNode valid(String name, String json) throws Exception {
    JsonNode node = OM.readTree(json);
    JsonSchema schema =
        factory.getSchema(SchemaLocation.of("https://modelseal.dev/schemas/" + name + ".v1.json"));
    assertThat(schema.validate(node)).as(json).isEmpty();
    assertThat(node.get("schema").asText()).isEqualTo("modelseal.dev/" + name + "/v1");
    return node;
  }

  private static CliRun run(int code, String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isEqualTo(code);
    return r;
  }

  /** A .npy file of float32 values, written by hand (NPY format 1.0). */
  static Path npy(Path p, float... values) throws Exception {
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + values.length + ",), }";
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + 4 * values.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    for (float v : values) {
      b.putFloat(v);
    }
    return Files.write(p, b.array());
  }

  @Test
  void verify_everyOutcome() throws Exception {
    Path model = TestKeys.smallModel(dir);
    TestKeys keys = TestKeys.ecP256(dir);
    Path other = TestKeys.ecP256(Files.createDirectories(dir.resolve("o"))).pub();
    run(0, "sign", model.toString(), "--key", keys.key().toString());
    String pub = keys.pub().toString();
    JsonNode ok =
        valid("verify", run(0, "verify", model.toString(), "--public-key", pub, "--json").out());
    assertThat(ok.get("verified").asBoolean()).isTrue();
    assertThat(ok.get("method").asText()).isEqualTo("key");
    assertThat(ok.get("keyHint").asText()).matches("[0-9a-f]{64}");
    String[] hash = run(0, "hash", model.toString(), "--ignore", "model.sig").out().split("\n");
    assertThat(ok.get("root").asText()).isEqualTo(hash[0]);
    assertThat(ok.get("pin").asText()).isEqualTo(hash[1]);

    JsonNode wrongKey =
        valid(
            "verify",
            run(1, "verify", model.toString(), "--public-key", other.toString(), "--json").out());
    assertThat(wrongKey.get("verified").asBoolean()).isFalse();
    assertThat(wrongKey.get("failure").asText()).isEqualTo("KEY_MISMATCH");

    Files.writeString(model.resolve("extra.txt"), "new");
    Files.writeString(model.resolve("config.json"), "{\"changed\": 1}");
    JsonNode bad =
        valid("verify", run(1, "verify", model.toString(), "--public-key", pub, "--json").out());
    assertThat(bad.get("failure").asText()).isEqualTo("MODEL_MISMATCH");
    assertThat(bad.get("expected").asText()).isEqualTo(hash[0]);
    assertThat(bad.get("actual").asText()).startsWith("sha256:").isNotEqualTo(hash[0]);
    assertThat(bad.get("modified").toString()).isEqualTo("[\"config.json\"]");
    assertThat(bad.get("extra").toString()).isEqualTo("[\"extra.txt\"]");

    Files.writeString(model.resolve("config.json"), "{}");
    JsonNode relaxed =
        valid(
            "verify",
            run(
                    0,
                    "verify",
                    model.toString(),
                    "--public-key",
                    pub,
                    "--ignore-unsigned-files",
                    "--json")
                .out());
    assertThat(relaxed.get("ignored").toString()).isEqualTo("[\"extra.txt\"]");

    CliRun err =
        run(
            2,
            "verify",
            model.toString(),
            "--signature",
            dir.resolve("nope.sig").toString(),
            "--public-key",
            pub,
            "--json");
    JsonNode e = valid("error", err.out());
    assertThat(e.get("exitCode").asInt()).isEqualTo(2);
    assertThat(e.get("reason").asText()).isEqualTo("no such file or directory");
    assertThat(err.err()).isEqualTo("modelseal: " + e.get("message").asText() + "\n");
    valid("error", run(2, "verify", model.toString(), "--bogus", "--json").out());
  }

  @Test
  void scanFindings_checkAndVerifyAgreeOnTheShape() throws Exception {
    Path model = Files.createDirectories(dir.resolve("pickled"));
    // protocol 2: GLOBAL os.system, STOP: a pickle that imports os.system when loaded
    Files.write(
        model.resolve("model.pkl"),
        "\u0080\u0002cos\nsystem\nq\u0000.".getBytes(StandardCharsets.ISO_8859_1));
    TestKeys keys = TestKeys.ecP256(dir);
    run(0, "sign", model.toString(), "--key", keys.key().toString());
    String pin = run(0, "hash", model.toString()).out().split("\n")[1];
    JsonNode v =
        valid(
            "verify",
            run(
                    1,
                    "verify",
                    model.toString(),
                    "--public-key",
                    keys.pub().toString(),
                    "--scan",
                    "--json")
                .out());
    JsonNode c =
        valid(
            "check", run(1, "check", model.toString(), "--digest", pin, "--scan", "--json").out());
    for (JsonNode n : new JsonNode[] {v, c}) {
      assertThat(n.get("verified").asBoolean()).isFalse();
      assertThat(n.get("failure").asText()).isEqualTo("SCAN");
      assertThat(n.get("scan").get("passed").asBoolean()).isFalse();
      JsonNode findings = n.get("scan").get("report").get("findings");
      assertThat(findings).isNotEmpty();
      assertThat(findings.toString()).contains("os", "system");
      valid("scan", n.get("scan").get("report").toString());
    }
    JsonNode scan = valid("scan", run(1, "scan", model.toString(), "--format", "json").out());
    assertThat(scan.get("findings")).isNotEmpty();
  }

  @Test
  void check_hash_attestation_fingerprint_diff() throws Exception {
    Path model = TestKeys.smallModel(dir);
    TestKeys keys = TestKeys.ecP256(dir);
    JsonNode h = valid("hash", run(0, "hash", model.toString(), "--json").out());
    Path lock = dir.resolve("m.lock");
    run(0, "lock", model.toString(), "-o", lock.toString());
    JsonNode lockJson = OM.readTree(lock.toFile());
    assertThat(h.get("resources").toString())
        .isEqualTo(lockJson.get("models").get(0).get("resources").toString());
    String[] plain = run(0, "hash", model.toString()).out().split("\n");
    JsonNode ok =
        valid("check", run(0, "check", model.toString(), "--digest", plain[1], "--json").out());
    assertThat(ok.get("actual").asText()).isEqualTo(plain[1]);

    Path metrics = Files.writeString(dir.resolve("metrics.json"), "{\"f1\": 0.93, \"acc\": 0.9}");
    Path att = dir.resolve("att.json");
    run(
        0,
        "attest",
        model.toString(),
        "--metrics",
        metrics.toString(),
        "--key",
        keys.key().toString(),
        "-o",
        att.toString());
    String pub = keys.pub().toString();
    JsonNode met =
        valid(
            "verify-attestation",
            run(
                    0,
                    "verify",
                    model.toString(),
                    "--attestation",
                    att.toString(),
                    "--public-key",
                    pub,
                    "--require",
                    "f1>=0.9",
                    "--json")
                .out());
    assertThat(met.get("requirements").get(0).get("met").asBoolean()).isTrue();
    JsonNode unmet =
        valid(
            "verify-attestation",
            run(
                    1,
                    "verify",
                    model.toString(),
                    "--attestation",
                    att.toString(),
                    "--public-key",
                    pub,
                    "--require",
                    "f1>=0.9",
                    "--require",
                    "acc>=0.95",
                    "--json")
                .out());
    assertThat(unmet.get("verified").asBoolean()).isFalse();
    assertThat(unmet.get("failure").asText()).isEqualTo("REQUIREMENT_NOT_MET");
    assertThat(unmet.get("requirements").get(0).get("met").asBoolean()).isTrue();
    assertThat(unmet.get("requirements").get(1).get("met").asBoolean()).isFalse();
    assertThat(unmet.get("requirements").get(1).get("actual").asDouble()).isEqualTo(0.9);

    Files.writeString(model.resolve("config.json"), "{\"changed\": 1}");
    JsonNode mismatch =
        valid(
            "check", run(1, "check", model.toString(), "--lock", lock.toString(), "--json").out());
    assertThat(mismatch.get("modified").toString()).isEqualTo("[\"config.json\"]");
    assertThat(mismatch.get("expected").asText())
        .isEqualTo(plain[0]); // a lock entry checks the root

    Path a = npy(dir.resolve("a.npy"), 1f, 2f, 3f);
    Path b = npy(dir.resolve("b.npy"), 1f, 2f, 4f);
    valid("fingerprint", run(0, "fingerprint", a.toString(), "--tensors", "--json").out());
    // several paths: JSON Lines, a fingerprint document a line, an error document for a failure
    Path notModel = Files.writeString(dir.resolve("notes.txt"), "not a model");
    String[] lines =
        run(2, "fingerprint", a.toString(), notModel.toString(), b.toString(), "--json")
            .out()
            .split("\n");
    assertThat(lines).hasSize(3);
    assertThat(valid("fingerprint", lines[0]).get("path").asText()).isEqualTo(a.toString());
    assertThat(valid("error", lines[1]).get("file").asText()).isEqualTo(notModel.toString());
    assertThat(valid("fingerprint", lines[2]).get("path").asText()).isEqualTo(b.toString());
    JsonNode d = valid("diff", run(1, "diff", a.toString(), b.toString(), "--json").out());
    assertThat(d.get("same").asBoolean()).isFalse();
  }

  @Test
  void schemasAreNotVacuous() throws Exception {
    ObjectNode o =
        (ObjectNode) OM.readTree("{\"schema\": \"modelseal.dev/error/v1\", \"exitCode\": 2}");
    JsonSchema s =
        factory.getSchema(SchemaLocation.of("https://modelseal.dev/schemas/error.v1.json"));
    assertThat(s.validate(o)).isNotEmpty(); // no message
    o.put("message", "x");
    assertThat(s.validate(o)).isEmpty();
    o.put("surprise", 1);
    assertThat(s.validate(o)).isNotEmpty();
  }
}
