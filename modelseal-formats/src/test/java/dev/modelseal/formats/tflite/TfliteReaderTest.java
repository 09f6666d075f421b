package dev.modelseal.formats.tflite;

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
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TFLite fixtures written by flatc ({@code tflite/generate_tflite.py}) have the fingerprints of the
 * independent Python implementation, tensor for tensor equal to the other formats'; external
 * buffers, quantization and operator codes are read; hostile files fail with one-line reasons.
 */
class TfliteReaderTest {
  @TempDir Path dir;

  private static Path fx(String name) {
    return Shared.fixture("tflite/" + name);
  }

  @Test
  void fixtures_matchIndependentPythonImplementation() throws Exception {
    JsonNode expected = new ObjectMapper().readTree(Files.readAllBytes(fx("expected_tflite.json")));
    List<String> mismatches = new ArrayList<>();
    int files = 0;
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      files++;
      Fingerprint f = Fingerprinter.create().fingerprint(fx(e.getKey()));
      mismatches.addAll(ExpectedFingerprints.mismatches(e.getKey(), f, e.getValue()));
    }
    assertThat(mismatches).isEmpty();
    assertThat(files).isEqualTo(3);
  }

  @Test
  void commonTensors_sameTensorDigestsAsSafetensors() throws Exception {
    Fingerprint st = Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors"));
    Map<String, String> want = new LinkedHashMap<>();
    st.tensors().stream()
        .filter(t -> !t.name().equals("empty"))
        .forEach(t -> want.put("0/" + t.name(), t.digest().toString()));
    for (String f : List.of("common.tflite", "common_external.tflite")) {
      Map<String, String> got = new LinkedHashMap<>();
      Fingerprinter.create()
          .fingerprint(fx(f))
          .tensors()
          .forEach(t -> got.put(t.name(), t.digest().toString()));
      assertThat(got).as(f).isEqualTo(want);
    }
  }

  @Test
  void externalBuffers_readAfterTheFlatbuffer() throws Exception {
    TfliteFile inline = TfliteReader.read(fx("common.tflite"), ReadLimits.defaults());
    TfliteFile ext = TfliteReader.read(fx("common_external.tflite"), ReadLimits.defaults());
    try (TensorModel a = inline.model();
        TensorModel b = ext.model()) {
      assertThat(inline.tensors()).noneMatch(TfliteTensor::external);
      assertThat(ext.tensors()).hasSize(9).allMatch(TfliteTensor::external);
      assertThat(ext.tensors()).allMatch(t -> t.dataOffset() % 16 == 0);
      assertThat(b.tensors().stream().map(t -> t.info()).toList())
          .isEqualTo(a.tensors().stream().map(t -> t.info()).toList());
    }
  }

  @Test
  void operatorCodes_exposeCustomOps() throws Exception {
    TfliteFile f = TfliteReader.read(fx("common.tflite"), ReadLimits.defaults());
    try (TensorModel m = f.model()) {
      assertThat(f.operatorCodes())
          .containsExactly(
              new TfliteOperatorCode(0, null, 1),
              new TfliteOperatorCode(TfliteOperatorCode.CUSTOM, "ModelsealTestOp", 1));
      assertThat(f.operatorCodes().get(1).isCustom()).isTrue();
      assertThat(f.operators())
          .containsExactly(new TfliteOperator(0, 0, 0), new TfliteOperator(0, 1, 1));
      assertThat(m.metadata())
          .containsEntry("tflite.custom_ops", "ModelsealTestOp")
          .containsEntry("tflite.description", "modelseal fixture")
          .containsEntry("tflite.version", "3");
      assertThat(m.format()).isEqualTo(Format.TFLITE);
    }
  }

  @Test
  void quantization_exposedPerChannel_andSubgraphsNamedByIndex() throws Exception {
    TfliteFile f = TfliteReader.read(fx("quantized.tflite"), ReadLimits.defaults());
    try (TensorModel m = f.model()) {
      assertThat(m.tensors().stream().map(t -> t.info().toString()))
          .containsExactly("0/bias: int32[2]", "1/w: int8[2, 3]");
      TfliteTensor w = f.tensors().get(1);
      assertThat(w.subgraph()).isEqualTo(1);
      assertThat(w.tensorName()).isEqualTo("w");
      assertThat(w.quantization().scale()).containsExactly(0.5f, 0.25f);
      assertThat(w.quantization().zeroPoint()).containsExactly(0L, 1L);
      assertThat(w.quantization().quantizedDimension()).isZero();
      assertThat(f.tensors().get(0).quantization()).isNull();
      assertThat(m.metadata())
          .containsEntry(
              "tflite.quantization.1/w",
              "scale=[0.5, 0.25] zero_point=[0, 1] quantized_dimension=0");
    }
  }

  @Test
  void detectedByContent_notByName() throws Exception {
    Path p = dir.resolve("weights.safetensors");
    Files.copy(fx("common.tflite"), p);
    assertThat(FormatDetector.create().detect(p)).isEqualTo(Format.TFLITE);
  }

  /** A cut either fails, or only removes trailing alignment padding: then nothing changes. */
  @Test
  void everyTruncation_failsOrKeepsTheFingerprint() throws Exception {
    for (String f : List.of("common.tflite", "common_external.tflite", "quantized.tflite")) {
      byte[] full = Files.readAllBytes(fx(f));
      Fingerprint whole = Fingerprinter.create().fingerprint(fx(f));
      int opened = 0;
      // Every cut of the smallest model; every 3rd of the others, and their last 8.
      int step = f.equals("quantized.tflite") ? 1 : 3;
      for (int n = 0; n < full.length; n = n + step < full.length - 8 ? n + step : n + 1) {
        Path p = write("t.tflite", Arrays.copyOf(full, n));
        try (TensorModel m = TfliteReader.open(p, ReadLimits.defaults())) {
          assertThat(Fingerprinter.create().threads(1).fingerprint(m).weights())
              .as(f + " truncated to " + n)
              .isEqualTo(whole.weights());
          assertThat(full.length - n).as(f + " truncated to " + n).isLessThan(4);
          for (int i = n; i < full.length; i++) {
            assertThat(full[i]).as("cut byte " + i + " of " + f).isZero();
          }
          opened++;
        } catch (FormatException e) {
          assertThat(e.getMessage()).doesNotContain("\n");
        }
      }
      assertThat(opened).as(f).isLessThan(4);
    }
  }

  @Test
  void badIdentifier_rejected() throws Exception {
    byte[] b = Files.readAllBytes(fx("common.tflite"));
    b[7] = '2';
    assertThatThrownBy(() -> TfliteReader.open(write("m.tflite", b), ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("no TFL3 file identifier");
  }

  @Test
  void shapeSizeMismatch_rejected() throws Exception {
    byte[] b = Files.readAllBytes(fx("common.tflite"));
    int at = find(b, ints(3, 2, 3, 4)); // the shape vector of f32_3d
    b[at + 12] = 5;
    assertThatThrownBy(() -> TfliteReader.open(write("m.tflite", b), ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining(
            "tensor '0/f32_3d' has 96 bytes of data but float32[2, 3, 5] needs 120");
  }

  @Test
  void hugeVectorLength_rejectedBeforeAllocating() throws Exception {
    byte[] b = Files.readAllBytes(fx("common.tflite"));
    int at = find(b, ints(3, 2, 3, 4));
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 0x7fff_ffff);
    assertThatThrownBy(() -> TfliteReader.open(write("m.tflite", b), ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("claims 2147483647 elements, more than the file holds");
  }

  @Test
  void externalOffsetOutsideFile_rejected() throws Exception {
    TfliteFile f = TfliteReader.read(fx("common_external.tflite"), ReadLimits.defaults());
    long off = f.tensors().get(0).dataOffset();
    f.model().close();
    byte[] b = Files.readAllBytes(fx("common_external.tflite"));
    byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(off).array();
    int at = find(b, le);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, 1L << 40);
    assertThatThrownBy(() -> TfliteReader.open(write("m.tflite", b), ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("lies outside the file");
  }

  @Test
  void tensorLimit_enforced() throws Exception {
    assertThatThrownBy(
            () -> TfliteReader.open(fx("common.tflite"), ReadLimits.defaults().withTensors(3)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("tensor count is 10, over the limit of 3");
  }

  @Test
  void bitFlipInEveryByte_opensOrFailsWithFormatException() throws Exception {
    byte[] full = Files.readAllBytes(fx("quantized.tflite"));
    for (int i = 0; i < full.length; i++) {
      byte[] b = full.clone();
      b[i] ^= (byte) (1 << (i % 8));
      Path p = write("f.tflite", b);
      try (TensorModel m = TfliteReader.open(p, ReadLimits.defaults())) {
        Fingerprinter.create().threads(1).fingerprint(m);
      } catch (FormatException e) {
        assertThat(e.getMessage()).doesNotContain("\n");
      }
    }
  }

  private Path write(String name, byte[] b) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, b);
    return p;
  }

  private static byte[] ints(int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  private static int find(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }
}
