package dev.modelseal.formats.savedmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.UnsupportedModelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixtures of {@code fixtures/savedmodel/generate_tf.py} (TensorFlow 2.21 in Python): a
 * SavedModel whose index blocks are Snappy-compressed, a graph-only SavedModel without variables,
 * and TensorFlow V1 checkpoints; digests from the independent Python implementation and equal,
 * tensor for tensor, to {@code common.safetensors}.
 */
class TfPythonFixturesTest {
  @TempDir Path dir;

  private static JsonNode expected(String name) throws Exception {
    return new ObjectMapper()
        .readTree(Files.readAllBytes(Shared.fixture("savedmodel/expected_tf.json")))
        .get(name);
  }

  private static Map<String, String> safetensorsDigests() throws Exception {
    Map<String, String> st = new TreeMap<>();
    Fingerprinter.create()
        .fingerprint(Shared.fixture("common.safetensors"))
        .tensors()
        .forEach(t -> st.put(t.name(), t.digest().toString()));
    return st;
  }

  private static void assertExpected(Fingerprint f, JsonNode expected) {
    Map<String, String> got = new TreeMap<>();
    f.tensors().forEach(t -> got.put(t.name(), t.digest().toString()));
    Map<String, String> want = new TreeMap<>();
    expected
        .get("tensors")
        .properties()
        .forEach(e -> want.put(e.getKey(), e.getValue().textValue()));
    assertThat(got).isEqualTo(want);
    assertThat(f.weights().toString()).isEqualTo(expected.get("weights").textValue());
    assertThat(f.content().toString()).isEqualTo(expected.get("content").textValue());
  }

  /** The offset and size of the index block, from the table footer. */
  private static int[] indexHandle(byte[] t) {
    int[] p = {t.length - 48};
    varint(t, p);
    varint(t, p);
    return new int[] {(int) varint(t, p), (int) varint(t, p)};
  }

  private static long varint(byte[] b, int[] p) {
    long v = 0;
    for (int s = 0; ; s += 7) {
      int x = b[p[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << s;
      if (x < 0x80) {
        return v;
      }
    }
  }

  @Test
  void snappyCompressedIndex_readAsTensorFlowReadsIt() throws Exception {
    Path sm = Shared.fixture("savedmodel/snappy");
    byte[] index = Files.readAllBytes(sm.resolve(SavedModelReader.INDEX));
    int[] h = indexHandle(index);
    assertThat(index[h[0] + h[1]]).as("the index block is Snappy-compressed").isEqualTo((byte) 1);
    assertThat(FormatDetector.create().detect(sm)).isEqualTo(Format.SAVEDMODEL);
    Fingerprint f = Fingerprinter.create().fingerprint(sm);
    assertExpected(f, expected("snappy"));
    Map<String, String> got = new TreeMap<>();
    f.tensors()
        .forEach(
            t ->
                got.put(
                    t.name().replace("/.ATTRIBUTES/VARIABLE_VALUE", ""), t.digest().toString()));
    assertThat(got).isEqualTo(safetensorsDigests());
    assertThat(f.content())
        .isEqualTo(
            Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors")).content());
  }

  @Test
  void snappyBlock_corruptDataAndExpansionLimit() throws Exception {
    byte[] index =
        Files.readAllBytes(Shared.fixture("savedmodel/snappy/variables/variables.index"));
    int[] h = indexHandle(index);
    // Garbage with a valid CRC: the CRC covers the stored (compressed) bytes, Snappy rejects it.
    byte[] bad = index.clone();
    for (int i = h[0] + 1; i < h[0] + h[1]; i++) {
      bad[i] = (byte) 0xff;
    }
    CRC32C crc = new CRC32C();
    crc.update(bad, h[0], h[1] + 1);
    ByteBuffer.wrap(bad, h[0] + h[1] + 1, 4)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(Crc.mask((int) crc.getValue()));
    Path badIndex = dir.resolve("bad.index");
    Files.write(badIndex, bad);
    Files.copy(
        Shared.fixture("savedmodel/snappy/variables/variables.data-00000-of-00001"),
        dir.resolve("bad.data-00000-of-00001"));
    assertThatThrownBy(() -> SavedModelReader.open(badIndex, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("the index block is not valid Snappy data");
    // The expansion is bounded by the index limit before anything is allocated.
    Path good = Shared.fixture("savedmodel/snappy/variables/variables.index");
    assertThatThrownBy(
            () -> SavedModelReader.open(good, ReadLimits.defaults().withIndexBytes(index.length)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("the decompressed table size");
  }

  @Test
  void graphOnlySavedModel_hasNoTensors() throws Exception {
    Path sm = Shared.fixture("savedmodel/graph_only");
    assertThat(FormatDetector.create().detect(sm)).isEqualTo(Format.SAVEDMODEL);
    try (TensorModel m = FormatDetector.create().open(sm)) {
      assertThat(m.tensors()).isEmpty();
      assertThat(m.metadata()).containsEntry("savedmodel.variables", "none");
    }
    assertExpected(Fingerprinter.create().fingerprint(sm), expected("graph_only"));
    // As TensorFlow 1.x's builder leaves it: an empty variables/ directory.
    Path copy = Files.createDirectories(dir.resolve("g/variables")).getParent();
    Files.copy(sm.resolve("saved_model.pb"), copy.resolve("saved_model.pb"));
    assertExpected(Fingerprinter.create().fingerprint(copy), expected("graph_only"));
    // Data shards without their index are not a graph-only model.
    Files.write(copy.resolve("variables/variables.data-00000-of-00001"), new byte[8]);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(copy))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("variables/ holds files but no variables.index");
  }

  @Test
  void v1Checkpoint_readAsTensorFlowReadsIt() throws Exception {
    Path ckpt = Shared.fixture("savedmodel/v1/model.ckpt");
    assertThat(FormatDetector.create().detect(ckpt)).isEqualTo(Format.SAVEDMODEL);
    Fingerprint f = Fingerprinter.create().fingerprint(ckpt);
    assertExpected(f, expected("v1"));
    Map<String, String> got = new TreeMap<>();
    f.tensors().forEach(t -> got.put(t.name(), t.digest().toString()));
    Map<String, String> st = safetensorsDigests();
    st.remove("f16"); // TensorFlow writes float16 to V1 checkpoints but cannot read it back
    assertThat(got).isEqualTo(st);
    try (TensorModel m = FormatDetector.create().open(ckpt)) {
      assertThat(m.metadata()).containsEntry("savedmodel.checkpoint", "V1 (tensor slices)");
    }
  }

  @Test
  void v1PartitionedVariable_refusedClearly() throws Exception {
    assertThatThrownBy(
            () ->
                Fingerprinter.create()
                    .fingerprint(Shared.fixture("savedmodel/v1_partitioned/model.ckpt")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("tensor 'part' is a partitioned variable (2 slices)");
  }

  @Test
  void v1Checkpoint_everyTruncationFails() throws Exception {
    byte[] full = Files.readAllBytes(Shared.fixture("savedmodel/v1/model.ckpt"));
    Path p = dir.resolve("model.ckpt");
    for (int n = 0; n < full.length; n++) {
      Files.write(p, Arrays.copyOf(full, n));
      int cut = n;
      assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
          .as("cut at " + cut)
          .isInstanceOf(FormatException.class);
    }
  }
}
