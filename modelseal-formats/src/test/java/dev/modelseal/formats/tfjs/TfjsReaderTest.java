package dev.modelseal.formats.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.ExpectedFingerprints;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TF.js models written by {@code @tensorflow/tfjs} (and quantized ones checked by its decoder,
 * {@code generate_tfjs.py}) have the fingerprints computed from the values {@code
 * tf.io.decodeWeights} returns, the same content as the tensors in safetensors, and malformed
 * manifests are rejected.
 */
class TfjsReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path fixture(String name) {
    return Shared.fixture("tfjs/" + name);
  }

  private static JsonNode expected() throws Exception {
    return JSON.readTree(Files.readAllBytes(fixture("expected_tfjs.json")));
  }

  @Test
  void everyFixture_matchesDigestsOfTheRuntimesDecodedValues() throws Exception {
    List<String> mismatches = new ArrayList<>();
    for (String f : List.of("common", "layers", "quantized", "tfjs_set.safetensors")) {
      Fingerprint fp = Fingerprinter.create().fingerprint(fixture(f));
      mismatches.addAll(ExpectedFingerprints.mismatches(f, fp, expected().get(f)));
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void tfjsAndSafetensors_sameWeightsAndContent() throws Exception {
    Fingerprint a = Fingerprinter.create().fingerprint(fixture("common/model.json"));
    Fingerprint b = Fingerprinter.create().fingerprint(fixture("tfjs_set.safetensors"));
    assertThat(a.weights()).isEqualTo(b.weights());
    assertThat(a.content()).isEqualTo(b.content());
    assertThat(a.tensors()).hasSize(6);
  }

  @Test
  void weightsManifestOnItsOwn_fingerprintsAsTheModel(@TempDir Path dir) throws Exception {
    Path manifest = fixture("manifest/weights_manifest.json");
    assertThat(FormatDetector.create().detect(manifest)).isEqualTo(Format.TFJS);
    Fingerprint m = Fingerprinter.create().fingerprint(manifest);
    assertThat(ExpectedFingerprints.mismatches("manifest", m, expected().get("common"))).isEmpty();
    Fingerprint st = Fingerprinter.create().fingerprint(fixture("tfjs_set.safetensors"));
    assertThat(m.weights()).isEqualTo(st.weights());
    assertThat(m.content()).isEqualTo(st.content());
    try (TensorModel model = FormatDetector.create().open(manifest)) {
      assertThat(model.metadata()).containsEntry("tfjs.format", "weights manifest");
    }
    // Other top-level arrays are not TF.js manifests; a manifest array's groups are checked.
    Path other = Files.writeString(dir.resolve("list.json"), "[1, 2, 3]");
    assertThatThrownBy(() -> FormatDetector.create().detect(other))
        .isInstanceOf(UnsupportedModelException.class);
    Path noWeights = Files.writeString(dir.resolve("m.json"), "[{\"paths\": [\"x.bin\"]}]");
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(noWeights))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("weightsManifest[0] needs 'paths' and 'weights' arrays");
  }

  @Test
  void quantized_decodedBytesEqualTheTfjsDecoder_andStoredFormShown() throws Exception {
    JsonNode want = expected().get("decoded_quantized");
    try (TensorModel m = TfjsReader.open(fixture("quantized"), ReadLimits.defaults())) {
      assertThat(m.format()).isEqualTo(Format.TFJS);
      for (TensorSource t : m.tensors()) {
        assertThat(HexFormat.of().formatHex(bytes(t)))
            .as(t.info().name())
            .isEqualTo(want.get(t.info().name()).textValue());
      }
      assertThat(m.metadata().get("tfjs.quantization.dense/kernel"))
          .startsWith("uint8 scale=")
          .endsWith("(decoded to float32)");
      assertThat(m.metadata().get("tfjs.quantization.half")).startsWith("float16");
      assertThat(m.metadata().get("tfjs.quantization.ids")).endsWith("(decoded to int32)");
      assertThat(m.metadata()).doesNotContainKey("tfjs.quantization.plain");
    }
  }

  @Test
  void detector_directoryAndModelJson() throws Exception {
    FormatDetector d = FormatDetector.create();
    assertThat(d.detect(fixture("layers"))).isEqualTo(Format.TFJS);
    assertThat(d.detect(fixture("layers/model.json"))).isEqualTo(Format.TFJS);
    try (TensorModel m = d.open(fixture("layers"))) {
      assertThat(m.metadata()).containsEntry("tfjs.format", "layers-model");
      assertThat(m.tensors()).hasSize(3);
    }
  }

  @Test
  void halfAndRounding_matchJavaScript() {
    assertThat(TfjsQuantization.halfToFloat(0x3C00)).isEqualTo(1.0f);
    assertThat(TfjsQuantization.halfToFloat(0x0001)).isEqualTo(0x1p-24f);
    assertThat(TfjsQuantization.halfToFloat(0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Float.floatToRawIntBits(TfjsQuantization.halfToFloat(0x8000))).isEqualTo(0x80000000);
    assertThat(TfjsQuantization.jsRound(-2.5)).isEqualTo(-2.0);
    assertThat(TfjsQuantization.jsRound(2.5)).isEqualTo(3.0);
    assertThat(TfjsQuantization.jsRound(0.49999999999999994)).isEqualTo(0.0);
    assertThat(TfjsQuantization.toInt32(4294967297.0)).isEqualTo(1);
    assertThat(TfjsQuantization.toInt32(-1.0)).isEqualTo(-1);
    assertThat(TfjsQuantization.toInt32(Double.NaN)).isZero();
  }

  // ---- negative tests -----------------------------------------------------------------------

  private static Path copyOf(Path dir, String fixtureDir) throws Exception {
    Path out = dir.resolve("m");
    Files.createDirectories(out);
    try (Stream<Path> s = Files.list(fixture(fixtureDir))) {
      for (Path p : s.toList()) {
        Files.copy(p, out.resolve(p.getFileName().toString()));
      }
    }
    return out;
  }

  private static void edit(Path model, String from, String to) throws Exception {
    Path j = model.resolve("model.json");
    String s = Files.readString(j);
    assertThat(s).contains(from);
    Files.writeString(j, s.replace(from, to));
  }

  @Test
  void missingShard_throwsMalformed(@TempDir Path dir) throws Exception {
    Path m = copyOf(dir, "common");
    Files.delete(m.resolve("group1-shard2of2.bin"));
    assertThatThrownBy(() -> TfjsReader.open(m, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("shard 'group1-shard2of2.bin' is missing");
  }

  @Test
  void truncatedShard_andTrailingBytes_throwMalformed(@TempDir Path dir) throws Exception {
    Path m = copyOf(dir, "quantized");
    Path shard = m.resolve("group1-shard3of3.bin");
    byte[] b = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(b, b.length - 1));
    assertThatThrownBy(() -> TfjsReader.open(m, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("runs past the end of its shard files");
    Files.write(shard, java.util.Arrays.copyOf(b, b.length + 3));
    assertThatThrownBy(() -> TfjsReader.open(m, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void shapeByteMismatch_throwsMalformed(@TempDir Path dir) throws Exception {
    Path m = copyOf(dir, "quantized");
    edit(m, "\"shape\": [2]", "\"shape\": [3]");
    assertThatThrownBy(() -> TfjsReader.open(m, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("runs past the end");
  }

  @Test
  void pathsEscapingTheDirectory_throwMalformed(@TempDir Path dir) throws Exception {
    for (String bad :
        List.of("../group1-shard1of2.bin", "/etc/passwd", "a/../../x.bin", "C:\\\\x.bin", "")) {
      Path m = copyOf(dir.resolve(Integer.toString(Math.abs(bad.hashCode()))), "common");
      edit(m, "\"group1-shard1of2.bin\"", "\"" + bad + "\"");
      assertThatThrownBy(() -> TfjsReader.open(m, ReadLimits.defaults()))
          .as(bad)
          .isInstanceOf(MalformedModelException.class)
          .hasMessageContaining("shard path");
    }
  }

  @Test
  void symlinkLeavingTheDirectory_throwsMalformed(@TempDir Path dir) throws Exception {
    Path m = copyOf(dir, "common");
    Path outside = dir.resolve("outside.bin");
    Files.move(m.resolve("group1-shard1of2.bin"), outside);
    Files.createSymbolicLink(m.resolve("group1-shard1of2.bin"), outside);
    assertThatThrownBy(() -> TfjsReader.open(m, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("link leaving the directory");
  }

  @Test
  void badJson_unknownDtypes_badQuantization(@TempDir Path dir) throws Exception {
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put(
        "json", new String[] {"\"weightsManifest\"", "\"weightsManifest\" x", "not valid JSON"});
    cases.put(
        "dtype",
        new String[] {"\"dtype\": \"float32\"}", "\"dtype\": \"float8\"}", "unknown dtype"});
    cases.put(
        "quant",
        new String[] {"\"dtype\": \"uint16\"", "\"dtype\": \"int4\"", "unknown quantization"});
    cases.put("scale", new String[] {"\"scale\": 0.5, ", "", "lacks numeric scale and min"});
    cases.put("dim", new String[] {"\"shape\": [2, 3]", "\"shape\": [2, -3]", "invalid dimension"});
    cases.put(
        "dup", new String[] {"\"name\": \"plain\"", "\"name\": \"half\"", "two tensors are named"});
    cases.put(
        "manifest",
        new String[] {"\"weightsManifest\"", "\"weightsManifestX\"", "no weightsManifest"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      Path m = copyOf(dir.resolve(c.getKey()), "quantized");
      edit(m, c.getValue()[0], c.getValue()[1]);
      assertThatThrownBy(() -> TfjsReader.open(m, ReadLimits.defaults()))
          .as(c.getKey())
          .isInstanceOf(MalformedModelException.class)
          .hasMessageContaining(c.getValue()[2]);
    }
    Path s = copyOf(dir.resolve("string"), "common");
    edit(s, "\"dtype\":\"bool\"", "\"dtype\":\"string\"");
    assertThatThrownBy(() -> TfjsReader.open(s, ReadLimits.defaults()))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("holds strings");
  }

  @Test
  void boolByteOtherThanZeroOrOne_throwsWhenStreamed(@TempDir Path dir) throws Exception {
    Path m = copyOf(dir, "common");
    // bool is the last weight tfjs wrote: its bytes end the last shard
    Path shard = m.resolve("group1-shard2of2.bin");
    byte[] b = Files.readAllBytes(shard);
    String json = Files.readString(m.resolve("model.json"));
    assertThat(json).endsWith("{\"name\":\"bool\",\"shape\":[3],\"dtype\":\"bool\"}]}]}");
    b[b.length - 1] = 7;
    Files.write(shard, b);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(m))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("byte other than 0 or 1");
  }

  @Test
  void oversizedModelJson_throwsLimitExceeded(@TempDir Path dir) throws Exception {
    Path m = copyOf(dir, "common");
    Path big = m.resolve("model.json");
    Files.write(big, (Files.readString(big) + " ".repeat(5000)).getBytes(StandardCharsets.UTF_8));
    ReadLimits tiny = ReadLimits.defaults().withIndexBytes(4096);
    assertThatThrownBy(() -> TfjsReader.open(m, tiny))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("model.json size");
  }

  @Test
  void modelJsonTruncatedOrFlipped_throwsFormatExceptionOrOpens(@TempDir Path dir)
      throws Exception {
    Path m = copyOf(dir, "quantized");
    Path j = m.resolve("model.json");
    byte[] all = Files.readAllBytes(j);
    for (int i = 0; i < all.length; i++) {
      Files.write(j, java.util.Arrays.copyOf(all, i));
      assertFailsCleanlyOrOpens(m);
      byte[] b = all.clone();
      b[i] ^= 0x21;
      Files.write(j, b);
      assertFailsCleanlyOrOpens(m);
    }
  }

  private static void assertFailsCleanlyOrOpens(Path m) {
    try {
      Fingerprinter.create().threads(1).fingerprint(m);
    } catch (dev.modelseal.formats.FormatException e) {
      assertThat(e.getMessage()).contains("model.json").doesNotContain("\n");
    } catch (Exception e) {
      throw new AssertionError("not a FormatException: " + e, e);
    }
  }

  static byte[] bytes(TensorSource t) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TensorStream s = t.open()) {
      for (ByteBuffer b = s.next(); b != null; b = s.next()) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.write(a);
      }
    }
    return out.toByteArray();
  }
}
