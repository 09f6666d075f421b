package dev.modelseal.formats.orbax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.ExpectedFingerprints;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Orbax checkpoints written by orbax-checkpoint 0.12 ({@code generate_orbax.py}) have the
 * fingerprints the independent Python implementation computed over what orbax restores, in every
 * layout orbax writes (a directory per array or the OCDBT store, zarr v3 or v2 metadata; values
 * inline in the b-tree or out of line), each tensor has the digest of its twin in {@code
 * common.safetensors}, and damaged chunks fail closed.
 */
class OrbaxReaderTest {
  @TempDir Path tmp;

  private static Path fixture(String name) {
    return Shared.fixture("orbax/" + name);
  }

  @Test
  void zarr3Layout_matchesIndependentPythonImplementation() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(fixture("expected_orbax.json")));
    Fingerprint f = Fingerprinter.create().fingerprint(fixture("common"));
    assertThat(ExpectedFingerprints.mismatches("common", f, expected.get("common"))).isEmpty();
    assertThat(f.tensors()).hasSize(16);
    assertThat(FormatDetector.create().detect(fixture("common"))).isEqualTo(Format.ORBAX);
    try (TensorModel m = FormatDetector.create().open(fixture("common"))) {
      assertThat(m.metadata()).containsEntry("orbax.other_values", "1");
    }
  }

  @Test
  void everyTensor_hasTheDigestOfItsSafetensorsTwin() throws Exception {
    Map<String, String> st = new HashMap<>();
    Fingerprinter.create()
        .fingerprint(Shared.fixture("common.safetensors"))
        .tensors()
        .forEach(t -> st.put(t.name(), t.digest().toString()));
    Fingerprint f = Fingerprinter.create().fingerprint(fixture("common"));
    int compared = 0;
    for (var t : f.tensors()) {
      if (t.name().startsWith("params/")) {
        assertThat(t.digest().toString()).as(t.name()).isEqualTo(st.get(t.name().substring(7)));
        compared++;
      }
    }
    assertThat(compared).isEqualTo(9);
  }

  @ParameterizedTest
  @CsvSource({
    "ocdbt, ocdbt+zarr2, 16",
    "ocdbt3, ocdbt+zarr3, 18",
    "ocdbt-big, ocdbt+zarr2, 18",
    "zarr2, zarr2, 16"
  })
  void everyLayoutOrbaxWrites_matchesIndependentPythonImplementation(
      String name, String layout, int tensors) throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(fixture("expected_orbax.json")));
    assertThat(FormatDetector.create().detect(fixture(name))).isEqualTo(Format.ORBAX);
    Fingerprint f = Fingerprinter.create().fingerprint(fixture(name));
    assertThat(ExpectedFingerprints.mismatches(name, f, expected.get(name))).isEmpty();
    assertThat(f.tensors()).hasSize(tensors);
    try (TensorModel m = FormatDetector.create().open(fixture(name))) {
      assertThat(m.metadata())
          .containsEntry("orbax.layout", layout)
          .containsEntry("orbax.other_values", "1");
    }
  }

  @Test
  void theSameTree_hasTheSameFingerprintInEveryLayout() throws Exception {
    Fingerprinter fp = Fingerprinter.create();
    String common = fp.fingerprint(fixture("common")).weights().toString();
    assertThat(fp.fingerprint(fixture("ocdbt")).weights().toString()).isEqualTo(common);
    assertThat(fp.fingerprint(fixture("zarr2")).weights().toString()).isEqualTo(common);
    assertThat(fp.fingerprint(fixture("ocdbt-big")).weights().toString())
        .isEqualTo(fp.fingerprint(fixture("ocdbt3")).weights().toString());
  }

  @Test
  void theAggregateLayout_readsSkippedLeavesFromTheMsgpackFile() throws Exception {
    // orbax's aggregate layout: leaves marked skip_deserialize live in the msgpack file
    // 'checkpoint' (flax.serialization.to_bytes), the others in array directories
    Path dir = copy("agg");
    Files.copy(Shared.fixture("flax/common.msgpack"), dir.resolve("checkpoint"));
    Path meta = dir.resolve("_METADATA");
    String m = Files.readString(meta);
    String leaf =
        "\"('params', 'f16')\": {\"key_metadata\": [{\"key\": \"params\", \"key_type\": 2},"
            + " {\"key\": \"f16\", \"key_type\": 2}], \"value_metadata\": {\"value_type\":"
            + " \"np.ndarray\", \"skip_deserialize\": ";
    assertThat(m).contains(leaf + "false}}");
    Files.writeString(meta, m.replace(leaf + "false}}", leaf + "true}}"));
    // the array directory is gone: the value must come from the aggregate file
    try (Stream<Path> s = Files.walk(dir.resolve("params.f16"))) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Fingerprint f = Fingerprinter.create().fingerprint(dir);
    assertThat(f.weights())
        .isEqualTo(Fingerprinter.create().fingerprint(fixture("common")).weights());
    try (TensorModel model = FormatDetector.create().open(dir)) {
      assertThat(model.metadata()).containsEntry("orbax.aggregate_tensors", "1");
    }
    // a leaf the aggregate file does not hold
    Files.writeString(
        meta, m.replace(leaf + "false}}", leaf + "true}}").replace("\"f16\"", "\"nope\""));
    assertThatThrownBy(() -> FormatDetector.create().open(dir))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("holds no array 'params/nope'");
    // no aggregate file at all
    Files.delete(dir.resolve("checkpoint"));
    Files.writeString(meta, m.replace(leaf + "false}}", leaf + "true}}"));
    assertThatThrownBy(() -> FormatDetector.create().open(dir))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("'checkpoint' is missing");
  }

  @Test
  void metadataJson_isBoundedByTheHeapBudget_beforeItIsParsed() throws Exception {
    Path dir = copy("bigjson");
    Path zj = dir.resolve("params.f32/zarr.json");
    // valid JSON padded with 2 MiB of spaces: over the limit a 64 MiB heap allows (tableBytes / 8)
    Files.writeString(zj, Files.readString(zj) + " ".repeat(2 << 20));
    dev.modelseal.formats.ReadLimits small =
        dev.modelseal.formats.ReadLimits.builder().tableBytes(16L << 20).build();
    assertThat(OrbaxReader.jsonLimit(small)).isEqualTo(2L << 20);
    assertThatThrownBy(() -> OrbaxReader.open(dir, small))
        .isInstanceOf(dev.modelseal.formats.LimitExceededException.class)
        .hasMessageContaining("JSON size");
    // with the default limits the same file is read
    assertThat(Fingerprinter.create().fingerprint(dir).tensors()).hasSize(16);
  }

  @Test
  void damagedCheckpoints_failClosed() throws Exception {
    // a shard index that fails its CRC32C
    Path a = copy("a");
    Path shard = a.resolve("params.f32/c/0/0");
    byte[] b = Files.readAllBytes(shard);
    b[b.length - 10] ^= 1;
    Files.write(shard, b);
    assertThatThrownBy(() -> FormatDetector.create().open(a))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("CRC32C");
    // corrupt zstd data: the fingerprint fails, never yields other bytes
    Path c = copy("c");
    Path s2 = c.resolve("params.f32_3d/c/0/0/0");
    byte[] z = Files.readAllBytes(s2);
    for (int i = 6; i < 30; i++) {
      z[i] = (byte) 0xff;
    }
    Files.write(s2, z);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(c))
        .isInstanceOf(FormatException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    // a truncated shard
    Path t = copy("t");
    Path s3 = t.resolve("params.f64/c/0/0");
    Files.write(s3, java.util.Arrays.copyOf(Files.readAllBytes(s3), 10));
    assertThatThrownBy(() -> FormatDetector.create().open(t))
        .isInstanceOf(MalformedModelException.class);
    // a pytree key that would leave the checkpoint directory
    Path d = copy("d");
    Path meta = d.resolve("_METADATA");
    String m = Files.readString(meta).replace("\"key\": \"i8\"", "\"key\": \"../../x\"");
    Files.writeString(meta, m);
    assertThatThrownBy(() -> FormatDetector.create().open(d))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("not a plain name");
  }

  private Path copy(String name) throws IOException {
    Path src = fixture("common");
    Path dst = tmp.resolve(name);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path q = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
    return dst;
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
