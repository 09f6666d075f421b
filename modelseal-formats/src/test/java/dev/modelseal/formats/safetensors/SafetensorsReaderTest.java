package dev.modelseal.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rejection of the reference reader ({@code formats.md}), on hostile files built here. */
class SafetensorsReaderTest {
  @TempDir Path dir;

  private Path file(byte[] content) throws Exception {
    Path p = dir.resolve("m.safetensors");
    Files.write(p, content);
    return p;
  }

  static byte[] st(String header, int dataBytes) {
    return st(header.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
  }

  static byte[] st(byte[] header, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
    out.writeBytes(header);
    out.writeBytes(data);
    return out.toByteArray();
  }

  private void rejects(byte[] content, String reason) throws Exception {
    Path p = file(content);
    assertThatThrownBy(() -> SafetensorsReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageStartingWith(p + ": ")
        .hasMessageContaining(reason);
  }

  private static String t(String name, String dtype, String shape, long begin, long end) {
    return "\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}";
  }

  @Test
  void valid_twoTensorsAndMetadata() throws Exception {
    Path p =
        file(
            st(
                "{\"__metadata__\":{\"k\":\"v\"},"
                    + t("b", "F32", "[1]", 8, 12)
                    + ","
                    + t("a", "I64", "[1]", 0, 8)
                    + "}",
                12));
    try (TensorModel m = SafetensorsReader.open(p, ReadLimits.defaults())) {
      assertThat(m.tensors()).hasSize(2);
      assertThat(m.tensors().get(0).info().name()).isEqualTo("a");
      assertThat(m.tensors().get(1).info().dtype()).isEqualTo(DType.FLOAT32);
      assertThat(m.metadata()).containsEntry("k", "v");
    }
  }

  @Test
  void scalarAndZeroSizedTensors_accepted() throws Exception {
    Path p =
        file(st("{" + t("s", "F32", "[]", 0, 4) + "," + t("e", "F32", "[0,5]", 4, 4) + "}", 4));
    try (TensorModel m = SafetensorsReader.open(p, ReadLimits.defaults())) {
      assertThat(m.tensors()).hasSize(2);
    }
  }

  @Test
  void shorterThan8Bytes_rejected() throws Exception {
    rejects(new byte[7], "shorter than its 8-byte header length");
  }

  @Test
  void headerOver100MB_rejected() throws Exception {
    byte[] b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).array();
    Path p = file(b);
    assertThatThrownBy(() -> SafetensorsReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("over the limit of 100000000");
  }

  @Test
  void headerPastEndOfFile_rejected() throws Exception {
    byte[] b = st("{}", 0);
    b[0] = 50;
    rejects(b, "runs past the end of the file");
  }

  @Test
  void detector_implausibleHeaderLength_givesSafetensorsReason() throws Exception {
    byte[] b = st("{}", 0);
    b[0] = 50;
    Path p = file(b);
    assertThatThrownBy(() -> FormatDetector.create().open(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("runs past the end of the file");
  }

  @Test
  void nonUtf8Header_rejected() throws Exception {
    rejects(st(new byte[] {'{', (byte) 0xC3, '}'}, new byte[0]), "not valid UTF-8");
  }

  @Test
  void badJson_rejected() throws Exception {
    rejects(st("{\"a\":", 0), "not valid JSON");
  }

  @Test
  void headerNotStartingWithBrace_rejected() throws Exception {
    rejects(st(" {}", 0), "does not start with '{'");
  }

  @Test
  void duplicateKeys_rejected() throws Exception {
    rejects(
        st("{" + t("a", "U8", "[1]", 0, 1) + "," + t("a", "U8", "[1]", 1, 2) + "}", 2),
        "names tensor 'a' twice");
  }

  @Test
  void metadataValueNotString_rejected() throws Exception {
    rejects(st("{\"__metadata__\":{\"n\":1}}", 0), "__metadata__ value of 'n' is not a string");
  }

  @Test
  void unknownDtype_rejected() throws Exception {
    rejects(st("{" + t("a", "Q4", "[1]", 0, 1) + "}", 1), "unknown dtype 'Q4'");
  }

  @Test
  void firstTensorNotAtZero_rejected() throws Exception {
    rejects(st("{" + t("a", "U8", "[1]", 1, 2) + "}", 2), "(gap)");
  }

  @Test
  void gap_rejected() throws Exception {
    rejects(
        st("{" + t("a", "U8", "[1]", 0, 1) + "," + t("b", "U8", "[1]", 2, 3) + "}", 3), "(gap)");
  }

  @Test
  void overlap_rejected() throws Exception {
    rejects(
        st("{" + t("a", "U8", "[2]", 0, 2) + "," + t("b", "U8", "[2]", 1, 3) + "}", 3),
        "(overlap)");
  }

  @Test
  void endBeforeBegin_rejected() throws Exception {
    rejects(st("{" + t("a", "U8", "[0]", 2, 1) + "}", 2), "ends (1) before it begins (2)");
  }

  @Test
  void shapeOverflow_rejected() throws Exception {
    rejects(st("{" + t("a", "F64", "[4611686018427387904,4]", 0, 8) + "}", 8), "overflows");
  }

  @Test
  void notWholeBytes_rejected() throws Exception {
    rejects(st("{" + t("a", "F4", "[3]", 0, 2) + "}", 2), "not a whole number of bytes");
  }

  @Test
  void spanNotDtypeTimesShape_rejected() throws Exception {
    rejects(st("{" + t("a", "F32", "[2]", 0, 4) + "}", 4), "spans 4 bytes but float32[2] is 8");
  }

  @Test
  void trailingBytes_rejected() throws Exception {
    rejects(st("{" + t("a", "U8", "[1]", 0, 1) + "}", 2), "(trailing bytes)");
  }

  @Test
  void truncatedData_rejected() throws Exception {
    rejects(st("{" + t("a", "U8", "[4]", 0, 4) + "}", 2), "(truncated)");
  }

  @Test
  void unknownTensorField_rejected() throws Exception {
    rejects(
        st("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":1}}", 1),
        "unknown field 'x'");
  }

  @Test
  void negativeOrFractionalShape_rejected() throws Exception {
    rejects(st("{" + t("a", "U8", "[-1]", 0, 0) + "}", 0), "integers from 0");
    rejects(st("{" + t("a", "U8", "[1.0]", 0, 1) + "}", 1), "integers from 0");
  }

  @Test
  void loneSurrogateName_rejected() throws Exception {
    rejects(st("{" + t("\\ud800", "U8", "[1]", 0, 1) + "}", 1), "surrogate");
  }

  @Test
  void boolByteOtherThanZeroOrOne_rejectedWhenRead() throws Exception {
    Path p =
        file(
            st(
                ("{" + t("b", "BOOL", "[2]", 0, 2) + "}").getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2}));
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("holds a byte other than 0 or 1");
  }

  @Test
  void realSamples_read() throws Exception {
    for (String n : List.of("B", "H", "I", "b", "d", "e", "f", "h", "i")) {
      Path p = Shared.real("safetensors-samples/" + n + ".safetensors");
      try (TensorModel m = FormatDetector.create().open(p)) {
        assertThat(m.tensors()).hasSize(1);
        assertThat(m.tensors().get(0).info().name()).isEqualTo(n);
        assertThat(m.tensors().get(0).info().shape()).containsExactly(6);
        assertThat(m.metadata()).containsEntry("test", "a");
      }
    }
    var overall =
        Fingerprinter.create().fingerprint(Shared.real("safetensors-samples/overall.safetensors"));
    var single =
        Fingerprinter.create().fingerprint(Shared.real("safetensors-samples/f.safetensors"));
    assertThat(overall.tensors())
        .extracting(t -> t.digest())
        .contains(single.tensors().get(0).digest());
    // U8 B and I8 b hold the same bytes but are different tensors.
    var u8 = Fingerprinter.create().fingerprint(Shared.real("safetensors-samples/B.safetensors"));
    var i8 = Fingerprinter.create().fingerprint(Shared.real("safetensors-samples/b.safetensors"));
    assertThat(u8.content()).isNotEqualTo(i8.content());
  }

  @Test
  void sileroVad_read() throws Exception {
    Path p = Shared.real("silero-vad/silero_vad_16k.safetensors");
    try (TensorModel m = FormatDetector.create().open(p)) {
      assertThat(m.tensors()).isNotEmpty();
      assertThat(m.tensors())
          .anySatisfy(t -> assertThat(t.info().name()).isEqualTo("stft_conv.weight"));
      var f = Fingerprinter.create().fingerprint(m);
      assertThat(f.tensors()).hasSize(m.tensors().size());
    }
  }
}
