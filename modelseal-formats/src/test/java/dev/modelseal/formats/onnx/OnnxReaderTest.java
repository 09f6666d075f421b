package dev.modelseal.formats.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.ExpectedFingerprints;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.UnsupportedModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX fixtures written by the onnx library and torch.onnx.export ({@code generate_onnx.py}) have
 * the fingerprints of the independent Python implementation, equal to the other formats' for the
 * same tensors; the real silero-vad models read; hostile files fail with one-line reasons.
 */
class OnnxReaderTest {
  @TempDir Path dir;

  @Test
  void fixtures_matchIndependentPythonImplementation() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(Shared.fixture("expected_onnx.json")));
    List<String> mismatches = new ArrayList<>();
    int files = 0;
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      files++;
      Fingerprint f = Fingerprinter.create().fingerprint(Shared.fixture(e.getKey()));
      mismatches.addAll(ExpectedFingerprints.mismatches(e.getKey(), f, e.getValue()));
    }
    assertThat(mismatches).isEmpty();
    assertThat(files).isEqualTo(7);
  }

  @Test
  void constantScalarAndListAttributes_readAsTheReferenceRuntimeEvaluatesThem() throws Exception {
    JsonNode expected =
        new ObjectMapper()
            .readTree(Files.readAllBytes(Shared.fixture("expected_onnx_constants.json")));
    Path m = Shared.fixture("onnx/constants.onnx");
    Fingerprint f = Fingerprinter.create().fingerprint(m);
    assertThat(ExpectedFingerprints.mismatches("constants.onnx", f, expected.get("constants.onnx")))
        .isEmpty();
    try (TensorModel model = FormatDetector.create().open(m)) {
      Map<String, String> infos = new java.util.TreeMap<>();
      model.tensors().forEach(t -> infos.put(t.info().name(), t.info().toString()));
      assertThat(infos)
          .containsEntry("c_float", "c_float: float32[]")
          .containsEntry("c_floats", "c_floats: float32[4]")
          .containsEntry("c_int", "c_int: int64[]")
          .containsEntry("c_ints", "c_ints: int64[5]")
          .containsEntry("c_no_ints", "c_no_ints: int64[0]");
    }
    assertThatThrownBy(
            () -> Fingerprinter.create().fingerprint(Shared.fixture("onnx/constant_string.onnx")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining(
            "Constant node 'c_strings' holds strings (value_strings); string tensors have no"
                + " canonical dtype");
  }

  @Test
  void commonTensors_sameFingerprintAsSafetensorsInRawTypedAndExternalForms() throws Exception {
    Fingerprint st = Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors"));
    for (String f : List.of("common.onnx", "common_typed.onnx", "common_external.onnx")) {
      Fingerprint o = Fingerprinter.create().fingerprint(Shared.fixture("onnx/" + f));
      assertThat(o.weights()).as(f).isEqualTo(st.weights());
      assertThat(o.content()).as(f).isEqualTo(st.content());
    }
  }

  @Test
  void detectedByContent_notByName() throws Exception {
    Path p = dir.resolve("weights.npy");
    Files.copy(Shared.fixture("onnx/torch_tiny.onnx"), p);
    assertThat(FormatDetector.create().detect(p)).isEqualTo(Format.ONNX);
    for (String f : List.of("common.safetensors", "common.gguf", "common.npz", "scalar.npy")) {
      assertThat(OnnxReader.sniff(Shared.fixture(f))).as(f).isFalse();
    }
  }

  @Test
  void sileroVad_bothModels_readWithSubgraphConstants() throws Exception {
    // Counts from onnx 1.12: initializers plus Constant nodes at every subgraph depth.
    Map<String, Integer> want =
        Map.of("silero-vad/silero_vad.onnx", 341, "silero-vad/silero_vad_half.onnx", 170);
    for (var e : want.entrySet()) {
      Path p = Shared.real(e.getKey());
      assertThat(FormatDetector.create().detect(p)).isEqualTo(Format.ONNX);
      try (TensorModel m = FormatDetector.create().open(p)) {
        assertThat(m.tensors()).as(e.getKey()).hasSize(e.getValue());
        assertThat(m.tensors().stream().map(t -> t.info().dtype())).contains(DType.FLOAT32);
      }
      assertThat(Fingerprinter.create().fingerprint(p).tensors()).hasSize(e.getValue());
    }
  }

  private Path write(String name, byte[] content) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  private static void assertOneLine(Throwable e) {
    assertThat(e.getMessage()).doesNotContain("\n");
  }

  @Test
  void truncated_throwsMalformed() throws Exception {
    byte[] valid = Files.readAllBytes(Shared.fixture("onnx/common.onnx"));
    Path p = write("t.onnx", java.util.Arrays.copyOf(valid, valid.length - 10));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("t.onnx")
        .satisfies(OnnxReaderTest::assertOneLine);
  }

  @Test
  void malformedVarint_throwsMalformed() throws Exception {
    byte[] b = Pb.of().varint(1, 8).raw((byte) (7 << 3 | 2)).raw(new byte[11]).bytes();
    for (int i = 2; i < b.length; i++) {
      b[i] = (byte) 0xFF;
    }
    Path p = write("v.onnx", b);
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("varint");
  }

  @Test
  void oversizedLength_throwsMalformed() throws Exception {
    byte[] b = Pb.of().varint(1, 8).rawVarint(7 << 3 | 2).rawVarint(1L << 40).bytes();
    Path p = write("o.onnx", b);
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("claims 1099511627776 bytes");
  }

  @Test
  void unknownDataType_throwsMalformed() throws Exception {
    Pb t = Pb.of().varint(1, 1).varint(2, 99).string(8, "w").bytes(9, new byte[4]);
    Path p = write("u.onnx", Pb.model(Pb.graph(t)));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("unknown data_type 99");
  }

  @Test
  void stringTensor_throwsUnsupported() throws Exception {
    Pb t = Pb.of().varint(1, 1).varint(2, 8).string(8, "labels").string(6, "cat");
    Path p = write("s.onnx", Pb.model(Pb.graph(t)));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("'labels'");
  }

  @Test
  void rawDataSizeNotMatchingDims_throwsMalformed() throws Exception {
    Pb t = Pb.floats("w", new long[] {2, 2}, 1, 2, 3);
    Path p = write("r.onnx", Pb.model(Pb.graph(t)));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("12 bytes of raw_data")
        .hasMessageContaining("need 16");
  }

  @Test
  void typedValueOutOfRange_throwsWhenRead() throws Exception {
    Pb t = Pb.of().varint(1, 2).varint(2, 3).string(8, "i8").varint(5, 1).varint(5, 200);
    Path p = write("i.onnx", Pb.model(Pb.graph(t)));
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("holds 200 in int32_data");
  }

  @Test
  void typedCountNotMatchingDims_throwsMalformed() throws Exception {
    Pb t = Pb.of().varint(1, 3).varint(2, 7).string(8, "i64").varint(7, 1);
    Path p = write("c.onnx", Pb.model(Pb.graph(t)));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("1 values in int64_data");
  }

  private Path external(String location) throws Exception {
    Pb entry = Pb.of().string(1, "location").string(2, location);
    Pb t = Pb.of().varint(1, 1).varint(2, 1).string(8, "w").msg(13, entry).varint(14, 1);
    return write("e.onnx", Pb.model(Pb.graph(t)));
  }

  @Test
  void externalData_escapingTheDirectory_throwsMalformed() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("m"));
    Files.write(dir.resolve("secret.bin"), new byte[4]);
    for (String loc :
        List.of("../secret.bin", "/etc/passwd", "a/../../secret.bin", "C:\\x", "..", "")) {
      Path p = external(loc);
      Path moved =
          Files.move(p, sub.resolve("e.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThatThrownBy(() -> OnnxReader.open(moved, ReadLimits.defaults()))
          .as(loc)
          .isInstanceOf(MalformedModelException.class)
          .hasMessageContaining("location");
    }
  }

  @Test
  void externalData_symlinkEscape_throwsMalformed() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("m"));
    Files.write(dir.resolve("secret.bin"), new byte[4]);
    Files.createSymbolicLink(sub.resolve("data.bin"), dir.resolve("secret.bin"));
    Path moved = Files.move(external("data.bin"), sub.resolve("e.onnx"));
    assertThatThrownBy(() -> OnnxReader.open(moved, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("resolves outside the model directory");
  }

  @Test
  void externalData_inside_reads() throws Exception {
    Files.write(dir.resolve("data.bin"), new byte[] {0, 0, (byte) 0x80, 0x3F});
    try (TensorModel m = OnnxReader.open(external("./data.bin"), ReadLimits.defaults())) {
      assertThat(m.tensors()).extracting(t -> t.info().name()).containsExactly("w");
    }
  }

  @Test
  void externalData_rangeOutsideFile_throwsMalformed() throws Exception {
    Files.write(dir.resolve("data.bin"), new byte[2]);
    assertThatThrownBy(() -> OnnxReader.open(external("data.bin"), ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class);
  }

  @Test
  void sparseIndicesNotAscending_throwsWhenRead() throws Exception {
    Pb values = Pb.floats("sp", new long[] {2}, 1, 2);
    Pb idx = Pb.of().varint(1, 2).varint(2, 7).string(8, "i").varint(7, 3).varint(7, 1);
    Pb sparse = Pb.of().msg(1, values).msg(2, idx).varint(3, 4);
    Path p = write("sp.onnx", Pb.model(Pb.of().msg(15, sparse)));
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("strictly ascending");
  }

  @Test
  void sparseDenseSizeOverLimit_throwsLimitExceeded() throws Exception {
    Pb values = Pb.floats("sp", new long[] {1}, 1);
    Pb idx = Pb.of().varint(1, 1).varint(2, 7).string(8, "i").varint(7, 0);
    Pb sparse = Pb.of().msg(1, values).msg(2, idx).varint(3, 1L << 40);
    Path p = write("sp.onnx", Pb.model(Pb.of().msg(15, sparse)));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void deeplyNestedSubgraphs_throwLimitExceeded() throws Exception {
    Pb g = Pb.graph(Pb.floats("w", new long[] {1}, 1));
    for (int i = 0; i < 40; i++) {
      Pb attr = Pb.of().string(1, "body").msg(6, g);
      Pb node = Pb.of().string(4, "Loop").msg(5, attr);
      g = Pb.of().msg(1, node);
    }
    Path p = write("deep.onnx", Pb.model(g));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("nesting");
  }

  @Test
  void noGraph_throwsMalformed_andIsNotDetected() throws Exception {
    Path p = write("n.onnx", Pb.of().varint(1, 8).string(2, "x").bytes());
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("no graph");
    assertThatThrownBy(() -> FormatDetector.create().detect(p))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("not a recognised");
  }

  @Test
  void constantAndSubgraphInitializers_named() throws Exception {
    try (TensorModel m = FormatDetector.create().open(Shared.fixture("onnx/structures.onnx"))) {
      assertThat(m.tensors())
          .extracting((TensorSource t) -> t.info().name())
          .containsExactly("cond", "const_out", "else_c", "else_w", "sp_coo", "sp_lin", "then_w");
    }
  }

  @Test
  void constantWithScalarAttribute_readAsScalar_otherAttributesRefused() throws Exception {
    Pb attr = Pb.of().string(1, "value_float").raw((byte) (2 << 3 | 5), 0, 0, (byte) 0x80, 0x3F);
    Pb node = Pb.of().string(2, "c").string(4, "Constant").msg(5, attr);
    Path p = write("k.onnx", Pb.model(Pb.of().msg(1, node)));
    try (TensorModel m = OnnxReader.open(p, ReadLimits.defaults())) {
      assertThat(m.tensors()).hasSize(1);
      assertThat(m.tensors().get(0).info().toString()).isEqualTo("c: float32[]");
    }
    Pb odd = Pb.of().string(1, "value_weird").raw((byte) (2 << 3 | 5), 0, 0, (byte) 0x80, 0x3F);
    Path q =
        write(
            "q.onnx",
            Pb.model(Pb.of().msg(1, Pb.of().string(2, "c").string(4, "Constant").msg(5, odd))));
    assertThatThrownBy(() -> OnnxReader.open(q, ReadLimits.defaults()))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("has attribute 'value_weird'");
  }

  @Test
  void rawAndTypedData_both_throwsMalformed() throws Exception {
    Pb t = Pb.floats("w", new long[] {1}, 1).raw((byte) (4 << 3 | 5), 0, 0, 0, 0);
    Path p = write("b.onnx", Pb.model(Pb.graph(t)));
    assertThatThrownBy(() -> OnnxReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("both raw_data and typed values");
  }
}
