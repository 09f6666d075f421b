package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken inputs per format rule: a finding with the rule's id, never silence. */
class FormatRulesTest {
  @TempDir Path dir;

  private List<String> rules(byte[] data) throws IOException {
    Path f = dir.resolve("f.bin");
    Files.write(f, data);
    ScanReport r = ModelScanner.create().scan(f);
    assertThat(r.complete()).isTrue();
    return r.findings().stream().map(x -> x.rule() + " " + x.message()).toList();
  }

  private static byte[] safetensors(long headerLen, String header, int data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLen).put(h);
    return b.array();
  }

  @Test
  void safetensors_headerLongerThanTheFile_isNotClean() throws IOException {
    byte[] f = safetensors(200_000_000L, "{}", 0);
    // A header length past the end of the file: no safetensors file, and not clean either.
    assertThat(rules(f)).anyMatch(s -> s.startsWith("scan.unknown-format"));
  }

  @Test
  void safetensors_notJson_andShortBuffer() throws IOException {
    String bad = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
    assertThat(rules(safetensors(bad.length(), bad, 4)))
        .anyMatch(s -> s.startsWith("safetensors.malformed"));
    String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    assertThat(rules(safetensors(ok.length(), ok, 4)))
        .anyMatch(s -> s.startsWith("safetensors.malformed") && s.contains("ends at byte"));
    assertThat(rules(safetensors(ok.length(), ok, 8))).isEmpty();
  }

  @Test
  void npy_badVersion_andHugeHeader() throws IOException {
    byte[] v9 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 2, 0, '{', '}'};
    assertThat(rules(v9)).anyMatch(s -> s.startsWith("npy.malformed") && s.contains("version 9"));
    byte[] huge = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, 0x7f};
    assertThat(rules(huge)).anyMatch(s -> s.startsWith("npy.malformed") && s.contains("limit"));
  }

  @Test
  void npy_objectDtypeButNoPickle_isMalformedPickle() throws IOException {
    String h = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
    byte[] head = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), 0};
    byte[] all = Arrays.copyOf(head, head.length + h.length() + 4);
    System.arraycopy(h.getBytes(StandardCharsets.US_ASCII), 0, all, head.length, h.length());
    assertThat(rules(all)).anyMatch(s -> s.startsWith("pickle.malformed"));
  }

  @Test
  void gguf_truncated_isMalformed() throws IOException {
    byte[] g = Files.readAllBytes(Fixtures.of("chat_template_ssti.gguf"));
    assertThat(rules(Arrays.copyOf(g, 40))).anyMatch(s -> s.startsWith("gguf.malformed"));
  }

  @Test
  void onnx_truncated_isMalformed_butEarlierFindingsStay() throws IOException {
    byte[] o = Files.readAllBytes(Fixtures.of("custom_domain.onnx"));
    assertThat(rules(Arrays.copyOf(o, o.length - 3))).anyMatch(s -> s.startsWith("onnx.malformed"));
  }

  @Test
  void onnx_escapes_recognisesAbsoluteDrivesAndParents() throws IOException {
    byte[] o = Files.readAllBytes(Fixtures.of("external_escape.onnx"));
    assertThat(rules(o)).anyMatch(s -> s.startsWith("onnx.external-data-escape"));
  }

  @Test
  void realSafetensors_andOnnx_areClean() {
    ScanReport r =
        ModelScanner.create()
            .scan(
                dev.modelseal.testing.SharedVectors.resolve(
                    "vectors/real/silero-vad/silero_vad.onnx"),
                dev.modelseal.testing.SharedVectors.resolve(
                    "vectors/real/safetensors-samples/overall.safetensors"));
    assertThat(r.findings()).isEmpty();
  }
}
