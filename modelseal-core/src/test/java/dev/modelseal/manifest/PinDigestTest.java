package dev.modelseal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pin encoding of docs/pins.md, checked against vectors computed from that text by {@code
 * pins/pin_vectors.py} (Python's hashlib) and against a byte string built here by hand.
 */
class PinDigestTest {
  @TempDir Path dir;

  @Test
  void of_matchesThePythonVectorsOfTheDocumentedEncoding() throws Exception {
    JsonNode vectors;
    try (InputStream in = getClass().getResourceAsStream("/pins/pin_vectors.json")) {
      vectors = new ObjectMapper().readTree(in);
    }
    List<String> wrong = new ArrayList<>();
    for (JsonNode v : vectors) {
      Manifest m = manifestOf(v);
      if (!m.pin().toString().equals(v.get("pin").asText())) {
        wrong.add(v.get("name").asText() + ": " + m.pin() + " != " + v.get("pin").asText());
      }
    }
    assertThat(vectors.size()).isEqualTo(5);
    assertThat(wrong).isEmpty();
  }

  @Test
  void hashedModel_hasThePinPythonComputedFromItsContent() throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "approved model");
    Files.writeString(dir.resolve("model_old.onnx"), "old model");
    Manifest m =
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(dir));
    assertThat(m.pin().toString())
        .isEqualTo(
            "pin:v1:sha256:5a46116dac3033ecc5d04021dcf70ae15828a262de6319dd1fd0e6cac5d366da");
    assertThat(PinDigest.parse(m.pin().toString())).isEqualTo(m.pin());
  }

  @Test
  void of_isSha256OfTheHandBuiltEncoding() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("w".getBytes());
    Manifest m =
        Manifest.of(
            "model",
            Serialization.defaults().withWalk(WalkOptions.defaults().ignoring(List.of("x"))),
            List.of(new ResourceDigest("a/b.bin", Digest.sha256(digest), 1)));
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(e);
    d.write("modelseal-pin-v1\0".getBytes(StandardCharsets.US_ASCII));
    d.writeInt(5);
    d.writeBytes("files");
    d.writeInt(6);
    d.writeBytes("sha256");
    d.writeLong(0);
    d.writeLong(5);
    for (String p : List.of(".git", ".gitattributes", ".github", ".gitignore", "x")) {
      d.writeInt(p.length());
      d.writeBytes(p);
    }
    d.writeLong(1);
    d.writeInt(7);
    d.writeBytes("a/b.bin");
    d.writeLong(1);
    d.writeInt(32);
    d.write(digest);
    String expected =
        "pin:v1:sha256:"
            + HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(e.toByteArray()));
    assertThat(m.pin().toString()).isEqualTo(expected);
  }

  @Test
  void pin_changesWithEveryCoveredField_notWithTheModelName() {
    Digest a = Digest.sha256(new byte[32]);
    List<ResourceDigest> one = List.of(new ResourceDigest("a.bin", a, 3));
    PinDigest base = Manifest.of("m", Serialization.defaults(), one).pin();
    assertThat(Manifest.of("other-name", Serialization.defaults(), one).pin()).isEqualTo(base);
    List<PinDigest> variants =
        List.of(
            Manifest.of("m", Serialization.defaults(), List.of(new ResourceDigest("b.bin", a, 3)))
                .pin(),
            Manifest.of("m", Serialization.defaults(), List.of(new ResourceDigest("a.bin", a, 4)))
                .pin(),
            Manifest.of(
                    "m",
                    Serialization.defaults(),
                    List.of(new ResourceDigest("a.bin", Digest.sha256(oneAt0()), 3)))
                .pin(),
            Manifest.of(
                    "m",
                    Serialization.shards(HashAlgorithm.SHA256, 10, WalkOptions.defaults()),
                    one)
                .pin(),
            Manifest.of(
                    "m",
                    Serialization.defaults()
                        .withWalk(WalkOptions.defaults().ignoring(List.of("n"))),
                    one)
                .pin());
    assertThat(variants).doesNotContain(base).doesNotHaveDuplicates();
  }

  private static byte[] oneAt0() {
    byte[] b = new byte[32];
    b[0] = 1;
    return b;
  }

  @Test
  void parse_refusesAnOmsRootSayingWhy() {
    assertThatThrownBy(() -> PinDigest.parse("sha256:" + "ab".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OMS root digest, not a pin: it does not bind file names");
    assertThatThrownBy(() -> PinDigest.parse("PIN:v1:sha256:" + "ab".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a pin looks like pin:v1:sha256:");
  }

  @Test
  void unknownSize_hasNoPin() {
    Manifest m =
        Manifest.of(
            "m",
            Serialization.defaults(),
            List.of(new ResourceDigest("a.bin", Digest.sha256(new byte[32]), -1)));
    assertThatThrownBy(m::pin).isInstanceOf(IllegalArgumentException.class);
  }

  private static Manifest manifestOf(JsonNode v) {
    List<String> ignore = new ArrayList<>();
    v.get("ignore_paths").forEach(p -> ignore.add(p.asText()));
    WalkOptions walk = WalkOptions.defaults().ignoring(ignore);
    HashAlgorithm alg = HashAlgorithm.fromOmsName(v.get("hash_type").asText());
    Serialization s =
        v.get("method").asText().equals("shards")
            ? Serialization.shards(alg, v.get("shard_size").asLong(), walk)
            : Serialization.files(alg, walk);
    List<ResourceDigest> resources = new ArrayList<>();
    for (JsonNode r : v.get("resources")) {
      resources.add(
          new ResourceDigest(
              r.get("name").asText(),
              Digest.of(alg.omsName(), HexFormat.of().parseHex(r.get("digest").asText())),
              r.get("size").asLong()));
    }
    return Manifest.of(v.get("name").asText(), s, resources);
  }
}
