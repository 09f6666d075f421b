package dev.modelseal.formats.savedmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.safetensors.SafetensorsReader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real SavedModels of {@code ../shared/vectors/real/tf-savedmodel} read (variables and graph);
 * bundles written by {@link BundleWriter} give the safetensors fingerprint of the same tensors;
 * every broken part (block CRC, tensor CRC, block handle, offsets, sizes, shards) fails with a
 * one-line reason.
 */
class SavedModelReaderTest {
  private static final int DT_FLOAT = 1;

  @TempDir Path dir;

  @Test
  void realSavedModel_readsVariablesWithCrcChecked() throws Exception {
    Path sm = Shared.real("tf-savedmodel/saved_model");
    assertThat(FormatDetector.create().detect(sm)).isEqualTo(Format.SAVEDMODEL);
    try (TensorModel m = FormatDetector.create().open(sm)) {
      assertThat(m.tensors().stream().map(t -> t.info().toString()))
          .containsExactly("a: float32[]", "b: float32[]", "c: float32[]");
      assertThat(m.tensors().stream().map(SavedModelReaderTest::floatValue))
          .containsExactly(0.5f, 2.0f, 3.0f);
      Fingerprinter.create().fingerprint(m);
    }
    List<GraphNode> nodes = SavedModelGraph.read(sm);
    assertThat(nodes).extracting(GraphNode::op).contains("VariableV2", "RestoreV2", "Const");
    assertThat(nodes).extracting(GraphNode::name).contains("a", "b", "c");
    assertThat(nodes).allMatch(n -> n.metaGraph() == 0 && n.function() == null);
  }

  @Test
  void realSavedModelUsingPython_objectGraphOutsideTheWeights() throws Exception {
    Path sm = Shared.real("tf-savedmodel/saved_model_using_python/model");
    try (TensorModel m = FormatDetector.create().open(sm)) {
      assertThat(m.tensors()).hasSize(1);
      TensorSource v = m.tensors().get(0);
      assertThat(v.info().toString()).isEqualTo("variable/.ATTRIBUTES/VARIABLE_VALUE: float32[]");
      assertThat(floatValue(v)).isEqualTo(2.0f);
      assertThat(m.metadata())
          .containsEntry("savedmodel.string._CHECKPOINTABLE_OBJECT_GRAPH", "DT_STRING, 123 bytes");
    }
    // The index file alone is recognised by its table magic and opened with its shard.
    Path index = sm.resolve(SavedModelReader.INDEX);
    assertThat(FormatDetector.create().detect(index)).isEqualTo(Format.SAVEDMODEL);
    assertThat(Fingerprinter.create().fingerprint(index).weights())
        .isEqualTo(Fingerprinter.create().fingerprint(sm).weights());
    List<GraphNode> nodes = SavedModelGraph.read(sm.resolve(SavedModelReader.GRAPH));
    assertThat(nodes).anyMatch(n -> n.function() != null && !n.function().isEmpty());
    assertThat(nodes).extracting(GraphNode::op).contains("VarHandleOp", "StatefulPartitionedCall");
  }

  @Test
  void graph_nodeLimitAndTruncation() throws Exception {
    Path pb = Shared.real("tf-savedmodel/saved_model/saved_model.pb");
    List<GraphNode> all = SavedModelGraph.read(pb);
    assertThatThrownBy(() -> SavedModelGraph.read(pb, 3))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("the node count is 4, over the limit of 3");
    byte[] full = Files.readAllBytes(pb);
    for (int n = 0; n < full.length; n += 7) {
      Path p = write("saved_model.pb", Arrays.copyOf(full, n));
      try {
        List<GraphNode> got = SavedModelGraph.read(p);
        assertThat(all).as("cut at " + n).containsAll(got); // a cut at a field boundary is valid
      } catch (FormatException e) {
        assertThat(e.getMessage()).doesNotContain("\n");
      }
    }
  }

  @Test
  void tensorflowJavaFixture_matchesIndependentPythonImplementationAndSafetensors()
      throws Exception {
    JsonNode expected =
        new ObjectMapper()
            .readTree(Files.readAllBytes(Shared.fixture("savedmodel/expected_savedmodel.json")))
            .get("common");
    Path sm = Shared.fixture("savedmodel/common");
    assertThat(FormatDetector.create().detect(sm)).isEqualTo(Format.SAVEDMODEL);
    Fingerprint f = Fingerprinter.create().fingerprint(sm);
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
    // Each tensor has the digest of its common.safetensors twin (TensorFlow Java has no
    // int8/int16).
    Map<String, String> st = new TreeMap<>();
    Fingerprinter.create()
        .fingerprint(Shared.fixture("common.safetensors"))
        .tensors()
        .forEach(t -> st.put(t.name(), t.digest().toString()));
    st.keySet().removeAll(List.of("i8", "i16"));
    assertThat(got).isEqualTo(st);
    assertThat(SavedModelGraph.read(sm)).extracting(GraphNode::op).contains("SaveV2", "RestoreV2");
  }

  @Test
  void graph_functionNodesCarryTheirFunctionName() throws Exception {
    Path seed =
        Path.of(
            "src/test/resources/dev/modelseal/formats/TensorFlowFuzzTestInputs/savedModelGraph/"
                + "graph-and-function.pb");
    assertThat(SavedModelGraph.read(seed))
        .containsExactly(
            new GraphNode(0, null, "a", "VariableV2"), new GraphNode(0, "f", "read", "ReadFile"));
  }

  @Test
  void commonTensors_sameFingerprintAsSafetensors_littleAndBigEndian() throws Exception {
    Fingerprint st = Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors"));
    for (int endianness : new int[] {0, 1}) {
      BundleWriter w = new BundleWriter();
      w.endianness = endianness;
      try (TensorModel m =
          SafetensorsReader.open(Shared.fixture("common.safetensors"), ReadLimits.defaults())) {
        for (TensorSource t : m.tensors()) {
          byte[] data = bytes(t);
          if (endianness == 1) {
            swap(data, t.info().dtype().swapWidth());
          }
          w.add(t.info().name(), dataType(t.info().dtype()), t.info().shape(), data);
        }
      }
      Path sm = dir.resolve("common" + endianness);
      w.write(sm);
      Fingerprint f = Fingerprinter.create().fingerprint(sm);
      assertThat(f.weights()).isEqualTo(st.weights());
      assertThat(f.content()).isEqualTo(st.content());
    }
  }

  @Test
  void badTensorCrc_failsWhenStreamed() throws Exception {
    Path sm = simple(new BundleWriter());
    Path shard = sm.resolve("variables/variables.data-00000-of-00001");
    byte[] d = Files.readAllBytes(shard);
    d[5] ^= 1;
    Files.write(shard, d);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(sm))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("tensor 'x' fails its CRC32C check");
  }

  @Test
  void badBlockCrc_rejected() throws Exception {
    Path index = simple(new BundleWriter()).resolve(SavedModelReader.INDEX);
    byte[] b = Files.readAllBytes(index);
    b[3] ^= 1;
    Files.write(index, b);
    assertThatThrownBy(() -> SavedModelReader.open(index, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("a data block at offset 0 fails its CRC32C check");
  }

  @Test
  void badBlockHandle_rejected() throws Exception {
    Path index = simple(new BundleWriter()).resolve(SavedModelReader.INDEX);
    byte[] b = Files.readAllBytes(index);
    int footer = b.length - 48;
    byte[] h = BundleWriter.handle(new long[] {1L << 40, 10});
    Arrays.fill(b, footer, footer + 40, (byte) 0);
    System.arraycopy(h, 0, b, footer, h.length);
    System.arraycopy(h, 0, b, footer + h.length, h.length);
    Files.write(index, b);
    assertThatThrownBy(() -> SavedModelReader.open(index, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining(
            "the metaindex block handle (offset 1099511627776, size 10) lies outside");
  }

  @Test
  void offsetOutsideShard_rejected() throws Exception {
    BundleWriter w = new BundleWriter();
    w.entryHook =
        (k, p) ->
            BundleWriter.entry(
                new BundleWriter.Tensor(k, DT_FLOAT, new long[] {2}, new byte[8]), 100);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(simple(w)))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining(
            "tensor 'x' at offset 100 of 8 bytes lies outside its shard of 8 bytes");
  }

  @Test
  void shapeSizeMismatch_rejected() throws Exception {
    BundleWriter w = new BundleWriter();
    w.entryHook =
        (k, p) ->
            BundleWriter.entry(
                new BundleWriter.Tensor(k, DT_FLOAT, new long[] {3}, new byte[8]), 0);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(simple(w)))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("tensor 'x' has 8 bytes but float32[3] needs 12");
  }

  @Test
  void missingShard_rejected() throws Exception {
    BundleWriter w = new BundleWriter();
    w.numShards = 2;
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(simple(w)))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("data shard variables.data-00001-of-00002 is missing");
  }

  @Test
  void slicedAndStringAndUnknownTypes() throws Exception {
    BundleWriter sliced = new BundleWriter();
    sliced.entryHook = (k, p) -> concat(p, new BundleWriter.Proto().bytes(7, new byte[0]).out);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(simple(sliced)))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("partitioned (sliced) variable");
    BundleWriter resource = new BundleWriter();
    resource.add("r", 20, new long[] {1}, new byte[4]);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(simple(resource)))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("tensor 'r' has DataType 20");
  }

  @Test
  void hugeLengthsInEntries_rejected() throws Exception {
    BundleWriter w = new BundleWriter();
    w.entryHook =
        (k, p) ->
            concat(new byte[] {0x12, (byte) 0xff, (byte) 0xff, 0x7f}, new ByteArrayOutputStream());
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(simple(w)))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("past its message");
  }

  @Test
  void everyTruncationOfTheIndex_fails() throws Exception {
    Path index =
        simple(new BundleWriter().add("y", DT_FLOAT, new long[] {}, new byte[4]))
            .resolve(SavedModelReader.INDEX);
    byte[] full = Files.readAllBytes(index);
    for (int n = 0; n < full.length; n++) {
      Files.write(index, Arrays.copyOf(full, n));
      int cut = n;
      assertThatThrownBy(() -> SavedModelReader.open(index, ReadLimits.defaults()))
          .as("cut at " + cut)
          .isInstanceOf(FormatException.class);
    }
  }

  @Test
  void tensorLimit_enforced() throws Exception {
    Path sm = simple(new BundleWriter().add("y", DT_FLOAT, new long[] {}, new byte[4]));
    assertThatThrownBy(() -> SavedModelReader.open(sm, ReadLimits.defaults().withTensors(1)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("index entry count is 3, over the limit of 2");
  }

  // ---- helpers ----

  /** A bundle with one float32[2] tensor 'x' (plus what the writer already has). */
  private Path simple(BundleWriter w) throws Exception {
    byte[] x =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).array();
    w.add("x", DT_FLOAT, new long[] {2}, x);
    Path sm = Files.createTempDirectory(dir, "sm");
    w.write(sm);
    return sm;
  }

  private Path write(String name, byte[] b) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, b);
    return p;
  }

  private static byte[] concat(byte[] a, ByteArrayOutputStream b) {
    byte[] tail = b.toByteArray();
    byte[] c = Arrays.copyOf(a, a.length + tail.length);
    System.arraycopy(tail, 0, c, a.length, tail.length);
    return c;
  }

  private static float floatValue(TensorSource t) {
    try {
      return ByteBuffer.wrap(bytes(t)).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(TensorSource t) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TensorStream s = t.open()) {
      for (ByteBuffer b = s.next(); b != null; b = s.next()) {
        byte[] c = new byte[b.remaining()];
        b.get(c);
        out.writeBytes(c);
      }
    }
    return out.toByteArray();
  }

  private static void swap(byte[] d, int width) {
    for (int i = 0; i + width <= d.length; i += width) {
      for (int l = i, h = i + width - 1; l < h; l++, h--) {
        byte t = d[l];
        d[l] = d[h];
        d[h] = t;
      }
    }
  }

  private static final Map<String, Integer> TF_TYPES =
      Map.of(
          "float32", 1, "float64", 2, "int32", 3, "int16", 5, "int8", 6, "int64", 9, "float16", 19);

  private static int dataType(DType d) {
    return TF_TYPES.get(d.name());
  }
}
