package dev.modelseal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.digest.Digest;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The encodings of {@code docs/fingerprint.md} section 4: exact bytes, and no collisions. */
class DefinitionTest {
  static TensorSource source(String name, DType dtype, long[] shape, byte[] data) {
    TensorInfo info = TensorInfo.create(name, dtype, shape);
    return new TensorSource() {
      @Override
      public TensorInfo info() {
        return info;
      }

      @Override
      public TensorStream open() {
        return Streams.memory(ByteBuffer.wrap(data));
      }
    };
  }

  static Digest digest(DType dtype, long[] shape, byte[] data) throws Exception {
    return Fingerprinter.tensorDigest(Path.of("t"), source("t", dtype, shape, data));
  }

  @Test
  void tensorDigest_isSha256OfTheDocumentedEncoding() throws Exception {
    byte[] data = {1, 2, 3, 4, 5, 6};
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] tag = "modelseal.fingerprint.v1.tensor".getBytes(StandardCharsets.US_ASCII);
    md.update(le(tag.length));
    md.update(tag);
    md.update(le(5));
    md.update("uint8".getBytes(StandardCharsets.US_ASCII));
    md.update(le(2));
    md.update(le(2));
    md.update(le(3));
    md.update(le(6));
    md.update(data);
    assertThat(digest(DType.UINT8, new long[] {2, 3}, data).bytes()).isEqualTo(md.digest());
  }

  private static byte[] le(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  @Test
  void dtypeShapeAndRank_allBound() throws Exception {
    byte[] four = {0, 0, (byte) 0x80, 0x3F};
    Set<Digest> seen = new HashSet<>();
    seen.add(digest(DType.FLOAT32, new long[] {}, four));
    seen.add(digest(DType.FLOAT32, new long[] {1}, four));
    seen.add(digest(DType.FLOAT32, new long[] {1, 1}, four));
    seen.add(digest(DType.INT32, new long[] {1}, four));
    seen.add(digest(DType.UINT8, new long[] {4}, four));
    seen.add(digest(DType.UINT8, new long[] {2, 2}, four));
    seen.add(digest(DType.INT8, new long[] {4}, four));
    seen.add(digest(DType.FLOAT16, new long[] {2}, four));
    seen.add(digest(DType.BFLOAT16, new long[] {2}, four));
    seen.add(digest(DType.FLOAT32, new long[] {0}, new byte[0]));
    seen.add(digest(DType.FLOAT32, new long[] {0, 3}, new byte[0]));
    seen.add(digest(DType.FLOAT32, new long[] {3, 0}, new byte[0]));
    seen.add(digest(DType.FLOAT64, new long[] {0}, new byte[0]));
    assertThat(seen).hasSize(13);
  }

  @Test
  void weightsDigest_bindsNames_contentDigestDoesNot() throws Exception {
    Digest d1 = digest(DType.UINT8, new long[] {1}, new byte[] {1});
    Digest d2 = digest(DType.UINT8, new long[] {1}, new byte[] {2});
    TensorInfo a = TensorInfo.create("a", DType.UINT8, new long[] {1});
    TensorInfo b = TensorInfo.create("b", DType.UINT8, new long[] {1});
    Fingerprint ab =
        Fingerprint.of(List.of(new TensorFingerprint(a, d1), new TensorFingerprint(b, d2)));
    Fingerprint ba =
        Fingerprint.of(List.of(new TensorFingerprint(a, d2), new TensorFingerprint(b, d1)));
    Fingerprint abReordered =
        Fingerprint.of(List.of(new TensorFingerprint(b, d2), new TensorFingerprint(a, d1)));
    assertThat(ab.weights()).isNotEqualTo(ba.weights());
    assertThat(ab.content()).isEqualTo(ba.content());
    assertThat(ab.weights()).isEqualTo(abReordered.weights());
  }

  @Test
  void contentDigest_keepsDuplicates() throws Exception {
    Digest d1 = digest(DType.UINT8, new long[] {1}, new byte[] {1});
    TensorInfo a = TensorInfo.create("a", DType.UINT8, new long[] {1});
    TensorInfo b = TensorInfo.create("b", DType.UINT8, new long[] {1});
    Fingerprint one = Fingerprint.of(List.of(new TensorFingerprint(a, d1)));
    Fingerprint two =
        Fingerprint.of(List.of(new TensorFingerprint(a, d1), new TensorFingerprint(b, d1)));
    assertThat(one.content()).isNotEqualTo(two.content());
  }

  @Test
  void nameOrder_isCodePointOrder() {
    // U+FF61 sorts before U+1F600 by code point, after it by UTF-16 code unit.
    assertThat(TensorInfo.NAME_ORDER.compare("\uFF61", "\uD83D\uDE00")).isNegative();
    assertThat("\uFF61".compareTo("\uD83D\uDE00")).isPositive();
    assertThat(TensorInfo.NAME_ORDER.compare("a", "ab")).isNegative();
  }

  @Test
  void halfToFloat_matchesIeee() {
    assertThat(ValueCursor.halfToFloat(0x3C00)).isEqualTo(1.0f);
    assertThat(ValueCursor.halfToFloat(0xC000)).isEqualTo(-2.0f);
    assertThat(ValueCursor.halfToFloat(0x7BFF)).isEqualTo(65504.0f);
    assertThat(ValueCursor.halfToFloat(0x0001)).isEqualTo(5.9604645e-8f);
    assertThat(ValueCursor.halfToFloat(0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(ValueCursor.halfToFloat(0x7E00)).isNaN();
  }
}
