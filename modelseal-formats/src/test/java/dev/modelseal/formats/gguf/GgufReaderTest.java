package dev.modelseal.formats.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rejection of the reference reader ({@code formats.md}), on hostile files built here. */
class GgufReaderTest {
  @TempDir Path dir;

  private Path file(GgufBuilder b) throws Exception {
    Path p = dir.resolve("m.gguf");
    Files.write(p, b.bytes());
    return p;
  }

  private void rejects(GgufBuilder b, String reason) throws Exception {
    rejects(b, MalformedModelException.class, reason);
  }

  private void rejects(GgufBuilder b, Class<? extends FormatException> type, String reason)
      throws Exception {
    Path p = file(b);
    assertThatThrownBy(() -> GgufReader.read(p, ReadLimits.defaults()))
        .isInstanceOf(type)
        .hasMessageStartingWith(p + ": ")
        .hasMessageContaining(reason);
  }

  /** One f32 tensor [2, 3] (ne = 3, 2) with one key. */
  private static GgufBuilder valid(int version) {
    return new GgufBuilder()
        .header(version, 1, 1)
        .kvString("general.name", "t")
        .tensor("w", 0, 0, 3, 2)
        .pad(32)
        .zeros(24)
        .pad(32);
  }

  @Test
  void v2AndV3_read_dimsReversed() throws Exception {
    for (int v : new int[] {2, 3}) {
      try (GgufFile f = GgufReader.read(file(valid(v)), ReadLimits.defaults())) {
        assertThat(f.version()).isEqualTo(v);
        assertThat(f.metadata().get("general.name").asString()).isEqualTo("t");
        assertThat(f.model().tensors().get(0).info().shape()).containsExactly(2, 3);
        assertThat(f.model().tensors().get(0).info().dtype()).isEqualTo(DType.FLOAT32);
      }
    }
  }

  @Test
  void quantizedTensor_isOpaqueBlockDtype() throws Exception {
    GgufBuilder b =
        new GgufBuilder().header(3, 1, 0).tensor("q", 8, 0, 64, 2).pad(32).zeros(4 * 34).pad(32);
    try (TensorModel m = GgufReader.open(file(b), ReadLimits.defaults())) {
      assertThat(m.tensors().get(0).info().dtype().name()).isEqualTo("gguf.Q8_0");
      assertThat(m.tensors().get(0).info().shape()).containsExactly(2, 64);
      assertThat(m.tensors().get(0).info().byteLength()).isEqualTo(4 * 34);
    }
  }

  @Test
  void badMagic_rejected() throws Exception {
    rejects(new GgufBuilder().raw("GGUX".getBytes()).u32(3).u64(0).u64(0), "bad magic");
  }

  @Test
  void badVersion_rejected() throws Exception {
    rejects(new GgufBuilder().header(1, 0, 0), "GGUF v1 is obsolete");
    rejects(new GgufBuilder().header(4, 0, 0), "unsupported GGUF version 4");
    rejects(new GgufBuilder().header(0x03000000, 0, 0), "big-endian");
  }

  @Test
  void duplicateKey_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 0, 2).kvString("a", "x").kvString("a", "y"),
        "duplicate key 'a'");
  }

  @Test
  void duplicateTensorName_rejected() throws Exception {
    rejects(
        new GgufBuilder()
            .header(3, 2, 0)
            .tensor("w", 0, 0, 8)
            .tensor("w", 0, 32, 8)
            .pad(32)
            .zeros(64),
        "duplicate tensor name 'w'");
  }

  @Test
  void stringPastEndOfFile_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 0, 1).str("k").u32(8).u64(1L << 20).raw((byte) 'x'),
        "more than the 1 left in the file");
  }

  @Test
  void hugeStringWithinLimit_butNotInFile_noAllocation() throws Exception {
    rejects(new GgufBuilder().header(3, 0, 1).u64(-1L).zeros(16), "keys are at most 65,535 bytes");
  }

  @Test
  void hostileKeys_refusedOrQuotedShort() throws Exception {
    // A 64 MiB key is refused by its length, before a byte of it is read.
    rejects(
        new GgufBuilder().header(3, 0, 1).u64(64L << 20).zeros(16),
        "the first key is 67,108,864 bytes; keys are at most 65,535 bytes");
    // A 1.5 MiB key is refused the same way; one of 65,535 bytes is read and quoted short.
    rejects(
        new GgufBuilder().header(3, 0, 1).str("A".repeat(1_572_864)).u32(8).str("v"),
        "the first key is 1,572,864 bytes");
    String key = "A".repeat(65_535);
    Path f = file(new GgufBuilder().header(3, 0, 1).str(key).u32(99).u64(0));
    assertThatThrownBy(() -> GgufReader.open(f, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageEndingWith(
            "key '" + "A".repeat(40) + "…' (65,535 bytes) has unknown value type 99")
        .satisfies(
            e ->
                assertThat(e.getMessage().getBytes(StandardCharsets.UTF_8).length).isLessThan(300));
    // Control characters in a key are escaped, not printed.
    rejects(
        new GgufBuilder()
            .header(3, 0, 2)
            .kvString("a\u001b[2J\n", "x")
            .kvString("a\u001b[2J\n", "y"),
        "duplicate key 'a\\x1b[2J\\n'");
  }

  @Test
  void metadataStrings_boundedOneByOneAndInAll() throws Exception {
    ReadLimits small = ReadLimits.defaults().withGgufStringBytes(8);
    Path one = file(new GgufBuilder().header(3, 0, 1).kvString("k", "123456789"));
    assertThatThrownBy(() -> GgufReader.open(one, small))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("value of 'k' length is 9");
    GgufBuilder many = new GgufBuilder().header(3, 0, 5);
    for (int i = 0; i < 5; i++) {
      many.kvString("k" + i, "12345678");
    }
    Path all = file(many);
    assertThatThrownBy(() -> GgufReader.open(all, small))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("metadata strings in all");
  }

  @Test
  void nestedArray_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 0, 1).str("k").u32(9).u32(9).u64(1).u32(4).u64(1).u32(5),
        "nested array");
  }

  @Test
  void arrayCountPastEnd_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 0, 1).str("k").u32(9).u32(4).u64(Long.MAX_VALUE),
        "past the end");
  }

  @Test
  void alignmentNotPowerOfTwo_rejected() throws Exception {
    rejects(new GgufBuilder().header(3, 0, 1).kvU32("general.alignment", 48), "not a power of two");
    rejects(new GgufBuilder().header(3, 0, 1).kvU32("general.alignment", 0), "not a power of two");
  }

  @Test
  void alignmentWrongType_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 0, 1).kvString("general.alignment", "32"), "must be UINT32");
  }

  @Test
  void customAlignment_used() throws Exception {
    GgufBuilder b =
        new GgufBuilder()
            .header(3, 2, 1)
            .kvU32("general.alignment", 64)
            .tensor("a", 24, 0, 3)
            .tensor("b", 24, 64, 3)
            .pad(64)
            .zeros(64 + 3);
    try (TensorModel m = GgufReader.open(file(b), ReadLimits.defaults())) {
      assertThat(m.tensors()).hasSize(2);
    }
  }

  @Test
  void nameOf64Bytes_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("x".repeat(64), 0, 0, 1).pad(32).zeros(32),
        "at most 63");
  }

  @Test
  void fiveDims_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("w", 0, 0, 1, 1, 1, 1, 1).pad(32).zeros(32),
        "at most 4");
  }

  @Test
  void sizeOverflow_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("w", 0, 0, 1L << 40, 1L << 40).pad(32).zeros(32),
        "overflows");
  }

  @Test
  void dimensionOver63Bits_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("w", 0, 0, -1L).pad(32).zeros(32), "over 2^63");
  }

  @Test
  void unknownType_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("w", 4, 0, 32).pad(32).zeros(32),
        "unknown ggml type 4");
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("w", 99, 0, 32).pad(32).zeros(32),
        "unknown ggml type 99");
  }

  @Test
  void innermostNotMultipleOfBlock_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("q", 2, 0, 33).pad(32).zeros(64),
        "not a multiple of the gguf.Q4_0 block of 32");
  }

  @Test
  void offsetNotRunningSum_rejected() throws Exception {
    rejects(
        new GgufBuilder()
            .header(3, 2, 0)
            .tensor("a", 0, 0, 1)
            .tensor("b", 0, 4, 1)
            .pad(32)
            .zeros(64),
        "has offset 4, expected 32");
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("a", 0, 32, 1).pad(32).zeros(64),
        "has offset 32, expected 0");
  }

  @Test
  void dataPastEndOfFile_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 1, 0).tensor("a", 0, 0, 100).pad(32).zeros(8),
        "runs past the end of the file");
  }

  @Test
  void trailingData_rejected() throws Exception {
    rejects(valid(3).zeros(32), "after the last tensor");
  }

  @Test
  void invalidUtf8Key_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 0, 1).u64(2).raw((byte) 0xC3, (byte) 0x28).u32(4).u32(1),
        "not valid UTF-8");
  }

  @Test
  void boolValueOtherThanZeroOrOne_rejected() throws Exception {
    rejects(new GgufBuilder().header(3, 0, 1).str("k").u32(7).u8(2), "not 0 or 1");
  }

  @Test
  void tensorCountOverLimit_rejected() throws Exception {
    rejects(
        new GgufBuilder().header(3, 2_000_000, 0),
        LimitExceededException.class,
        "tensor count is 2000000");
  }

  @Test
  void truncatedHeader_rejected() throws Exception {
    rejects(new GgufBuilder().header(3, 0, 1).str("k").u32(8), "file ends inside");
    rejects(new GgufBuilder().header(3, 0, 1).str("k"), "cannot fit");
  }

  @Test
  void realVocabFile_read() throws Exception {
    Path p = Shared.real("gguf-vocab/ggml-vocab-bert-bge.gguf");
    try (GgufFile f = GgufReader.read(p, ReadLimits.defaults())) {
      assertThat(f.version()).isIn(2, 3);
      assertThat(f.metadata()).containsKey("tokenizer.ggml.tokens");
      assertThat(f.metadata().get("tokenizer.ggml.tokens").elements()).hasSizeGreaterThan(1000);
    }
  }

  @Test
  void realCorruptedUtf8File_rejectedClearly() throws Exception {
    Path p = Shared.real("gguf-vocab/corrupted-utf8-roundtrip.gguf");
    assertThatThrownBy(() -> GgufReader.read(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageStartingWith(p + ": ")
        .hasMessageNotContaining("\n");
  }
}
