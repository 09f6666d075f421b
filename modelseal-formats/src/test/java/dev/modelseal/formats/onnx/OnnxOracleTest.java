package dev.modelseal.formats.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.onnx.oracle.OnnxSubset.AttributeProto;
import dev.modelseal.formats.onnx.oracle.OnnxSubset.GraphProto;
import dev.modelseal.formats.onnx.oracle.OnnxSubset.ModelProto;
import dev.modelseal.formats.onnx.oracle.OnnxSubset.NodeProto;
import dev.modelseal.formats.onnx.oracle.OnnxSubset.SparseTensorProto;
import dev.modelseal.formats.onnx.oracle.OnnxSubset.StringStringEntryProto;
import dev.modelseal.formats.onnx.oracle.OnnxSubset.TensorProto;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of the streaming ONNX reader against an oracle built on protobuf-java classes
 * generated at build time from {@code src/test/protobuf/onnx_subset.proto}: for every ONNX fixture
 * and the real silero-vad models, both must find the same tensors (name, dtype, shape and canonical
 * bytes). The oracle parses the whole model onto the heap, which is why it is a test oracle and not
 * the production reader; it implements docs/fingerprint.md section 7 on its own (initializers,
 * sparse initializers made dense, Constant nodes, subgraphs, typed fields, external data) without
 * any code of the reader.
 */
class OnnxOracleTest {
  /** ONNX data_type codes of onnx.proto, with canonical dtype names and element widths. */
  private static final Map<Integer, Object[]> TYPES =
      Map.ofEntries(
          Map.entry(1, new Object[] {"float32", 4}),
          Map.entry(2, new Object[] {"uint8", 1}),
          Map.entry(3, new Object[] {"int8", 1}),
          Map.entry(4, new Object[] {"uint16", 2}),
          Map.entry(5, new Object[] {"int16", 2}),
          Map.entry(6, new Object[] {"int32", 4}),
          Map.entry(7, new Object[] {"int64", 8}),
          Map.entry(9, new Object[] {"bool", 1}),
          Map.entry(10, new Object[] {"float16", 2}),
          Map.entry(11, new Object[] {"float64", 8}),
          Map.entry(12, new Object[] {"uint32", 4}),
          Map.entry(13, new Object[] {"uint64", 8}),
          Map.entry(14, new Object[] {"complex64", 8}),
          Map.entry(15, new Object[] {"complex128", 16}),
          Map.entry(16, new Object[] {"bfloat16", 2}));

  static Stream<String> models() {
    return Stream.of(
        "fixtures/onnx/common.onnx",
        "fixtures/onnx/common_typed.onnx",
        "fixtures/onnx/common_external.onnx",
        "fixtures/onnx/all_raw.onnx",
        "fixtures/onnx/all_typed.onnx",
        "fixtures/onnx/structures.onnx",
        "fixtures/onnx/torch_tiny.onnx",
        "real/silero-vad/silero_vad.onnx",
        "real/silero-vad/silero_vad_half.onnx");
  }

  private static Path path(String model) {
    if (model.startsWith("real/")) {
      return Shared.real(model.substring("real/".length()));
    }
    return Shared.fixture(model.substring("fixtures/".length()));
  }

  @ParameterizedTest
  @MethodSource("models")
  void streamingReader_findsTheTensorsOfTheGeneratedClasses(String model) throws Exception {
    Path p = path(model);
    Map<String, String> oracle = new Oracle(p).tensors();
    Map<String, String> ours = new TreeMap<>();
    try (TensorModel m = OnnxReader.open(p, dev.modelseal.formats.ReadLimits.defaults())) {
      for (TensorSource s : m.tensors()) {
        ours.put(s.info().name(), describe(s.info().dtype().name(), s.info().shape(), readAll(s)));
      }
    }
    assertThat(oracle).as("oracle tensors of " + model).isNotEmpty();
    assertThat(ours).isEqualTo(oracle);
  }

  private static byte[] readAll(TensorSource s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TensorStream in = s.open()) {
      for (ByteBuffer b = in.next(); b != null; b = in.next()) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.write(a);
      }
    }
    return out.toByteArray();
  }

  /** One comparable line: dtype, shape, byte count and the bytes in hex. */
  private static String describe(String dtype, long[] shape, byte[] bytes) {
    return dtype
        + Arrays.toString(shape)
        + " "
        + bytes.length
        + " bytes "
        + HexFormat.of().formatHex(bytes);
  }

  /** docs/fingerprint.md section 7 over the generated classes. */
  private static final class Oracle {
    private final Path file;
    private final Map<String, String> tensors = new TreeMap<>();

    Oracle(Path file) {
      this.file = file;
    }

    Map<String, String> tensors() throws Exception {
      ModelProto m;
      try (InputStream in = Files.newInputStream(file)) {
        m = ModelProto.parseFrom(in);
      }
      graph(m.getGraph());
      return tensors;
    }

    private void graph(GraphProto g) throws Exception {
      for (TensorProto t : g.getInitializerList()) {
        add(t.getName(), t, t.getDimsList(), dense(t));
      }
      for (SparseTensorProto s : g.getSparseInitializerList()) {
        add(s.getValues().getName(), s.getValues(), s.getDimsList(), sparse(s));
      }
      for (NodeProto n : g.getNodeList()) {
        boolean constant =
            n.getOpType().equals("Constant")
                && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"));
        for (AttributeProto a : n.getAttributeList()) {
          if (constant && a.getName().equals("value")) {
            add(n.getOutput(0), a.getT(), a.getT().getDimsList(), dense(a.getT()));
          } else if (constant && a.getName().equals("sparse_value")) {
            SparseTensorProto sp = a.getSparseTensor();
            add(n.getOutput(0), sp.getValues(), sp.getDimsList(), sparse(sp));
          } else if (constant) {
            throw new AssertionError("fixture has a Constant with attribute " + a.getName());
          }
          if (a.hasG()) {
            graph(a.getG());
          }
          for (GraphProto sub : a.getGraphsList()) {
            graph(sub);
          }
        }
      }
    }

    /**
     * Adds a tensor of the dtype of {@code t} (a sparse tensor's values) and shape {@code dims}.
     */
    private void add(String name, TensorProto t, List<Long> dims, byte[] bytes) {
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      String was = tensors.put(name, describe(dtype(t), shape, bytes));
      assertThat(was).as("tensor " + name + " twice").isNull();
    }

    private static String dtype(TensorProto t) {
      Object[] d = TYPES.get(t.getDataType());
      assertThat(d).as("data_type " + t.getDataType() + " of " + t.getName()).isNotNull();
      return (String) d[0];
    }

    private static int width(TensorProto t) {
      return (Integer) TYPES.get(t.getDataType())[1];
    }

    private static long elements(List<Long> dims) {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }

    private byte[] dense(TensorProto t) throws Exception {
      dtype(t);
      int w = width(t);
      int size = Math.toIntExact(elements(t.getDimsList()) * w);
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        return external(t, size);
      }
      if (t.hasRawData()) {
        return t.getRawData().toByteArray();
      }
      ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      switch (t.getDataType()) {
        case 1, 14 -> t.getFloatDataList().forEach(b::putFloat);
        case 11, 15 -> t.getDoubleDataList().forEach(b::putDouble);
        case 7 -> t.getInt64DataList().forEach(b::putLong);
        case 12 -> t.getUint64DataList().forEach(v -> b.putInt((int) (long) v));
        case 13 -> t.getUint64DataList().forEach(b::putLong);
        case 6 -> t.getInt32DataList().forEach(b::putInt);
        case 4, 5, 10, 16 -> t.getInt32DataList().forEach(v -> b.putShort((short) (int) v));
        default -> t.getInt32DataList().forEach(v -> b.put((byte) (int) v));
      }
      assertThat(b.position()).as("typed values of " + t.getName()).isEqualTo(size);
      return b.array();
    }

    private byte[] external(TensorProto t, int size) throws Exception {
      String location = null;
      long offset = 0;
      for (StringStringEntryProto e : t.getExternalDataList()) {
        switch (e.getKey()) {
          case "location" -> location = e.getValue();
          case "offset" -> offset = Long.parseLong(e.getValue());
          case "length" -> assertThat(Long.parseLong(e.getValue())).isEqualTo(size);
          default -> {}
        }
      }
      assertThat(location).as("external location of " + t.getName()).isNotNull();
      byte[] out = new byte[size];
      try (RandomAccessFile f = new RandomAccessFile(file.resolveSibling(location).toFile(), "r")) {
        f.seek(offset);
        f.readFully(out);
      }
      return out;
    }

    /** The dense row-major form: zeros, with each value at its (linear or COO) index. */
    private byte[] sparse(SparseTensorProto s) throws Exception {
      TensorProto values = s.getValues();
      int w = width(values);
      List<Long> dims = s.getDimsList();
      byte[] out = new byte[Math.toIntExact(elements(dims) * w)];
      byte[] v = dense(values);
      ByteBuffer idx = ByteBuffer.wrap(dense(s.getIndices())).order(ByteOrder.LITTLE_ENDIAN);
      long nnz = v.length / w;
      boolean coordinates = s.getIndices().getDimsCount() == 2;
      for (int k = 0; k < nnz; k++) {
        long linear = 0;
        if (coordinates) {
          for (long dim : dims) {
            linear = linear * dim + idx.getLong();
          }
        } else {
          linear = idx.getLong();
        }
        System.arraycopy(v, k * w, out, Math.toIntExact(linear * w), w);
      }
      return out;
    }
  }
}
