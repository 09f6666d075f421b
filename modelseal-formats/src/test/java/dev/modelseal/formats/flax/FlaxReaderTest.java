package dev.modelseal.formats.flax;

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
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.UnsupportedModelException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flax msgpack checkpoints written by flax.serialization ({@code generate_flax.py}) have the
 * fingerprints the independent Python implementation computed over what {@code msgpack_restore}
 * returns, the content digest of the same arrays in safetensors, and hostile files are refused with
 * one line.
 */
class FlaxReaderTest {
  @TempDir Path tmp;

  private static Path fixture(String name) {
    return Shared.fixture("flax/" + name);
  }

  private static Fingerprint fp(Path p) throws Exception {
    return Fingerprinter.create().fingerprint(p);
  }

  @Test
  void everyFixture_matchesIndependentPythonImplementation() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(fixture("expected_flax.json")));
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      mismatches.addAll(
          ExpectedFingerprints.mismatches(e.getKey(), fp(fixture(e.getKey())), e.getValue()));
    }
    assertThat(mismatches).isEmpty();
    assertThat(expected.size()).isEqualTo(8);
  }

  @Test
  void commonTensors_sameContentDigestAsSafetensorsAndNpz() throws Exception {
    Fingerprint st = fp(Shared.fixture("common.safetensors"));
    Fingerprint npz = fp(Shared.fixture("common.npz"));
    Fingerprint flax = fp(fixture("common.msgpack"));
    assertThat(flax.content()).isEqualTo(st.content()).isEqualTo(npz.content());
    assertThat(flax.tensors()).hasSize(10);
    // the chunked form of the same arrays is the same model
    Fingerprint chunked = fp(fixture("chunked.msgpack"));
    assertThat(chunked.weights()).isEqualTo(flax.weights());
    try (TensorModel m = FormatDetector.create().open(fixture("chunked.msgpack"))) {
      assertThat(Integer.parseInt(m.metadata().get("flax.chunked_arrays"))).isEqualTo(4);
    }
    // a linen model and optimizer state: the same arrays in safetensors under the '/'-joined paths
    assertThat(fp(fixture("linen.msgpack")).weights())
        .isEqualTo(fp(fixture("linen.safetensors")).weights());
  }

  @Test
  void detector_recognisesFlaxByContent() throws Exception {
    FormatDetector d = FormatDetector.create();
    for (String f :
        List.of(
            "common.msgpack",
            "all.msgpack",
            "linen.msgpack",
            "chunked.msgpack",
            "lists.msgpack",
            "bare.msgpack",
            "big_endian.msgpack")) {
      assertThat(d.detect(fixture(f))).as(f).isEqualTo(Format.FLAX);
    }
    try (TensorModel m = d.open(fixture("all.msgpack"))) {
      assertThat(m.metadata()).containsEntry("flax.other_values", "9");
      assertThat(m.tensors().stream().map(t -> t.info().toString()))
          .contains("np_scalar: float32[]", "bf16: bfloat16[4]", "f8_e4m3fn: float8_e4m3fn[3]");
    }
    try (TensorModel m = d.open(fixture("bare.msgpack"))) {
      assertThat(m.tensors()).singleElement().satisfies(t -> assertThat(t.info().name()).isEmpty());
    }
    // a stream head that reaches the first array extension is recognised too
    byte[] head = Arrays.copyOf(Files.readAllBytes(fixture("big_endian.msgpack")), 16);
    assertThat(new FlaxFormatReader().sniff(FormatProbe.ofHead(head, -1))).isTrue();
    // other formats are not flax
    for (String f : List.of("common.safetensors", "common.gguf", "common.npz", "f32_3d.npy")) {
      assertThat(
              new FlaxFormatReader()
                  .sniff(FormatProbe.of(Shared.fixture(f), ReadLimits.defaults())))
          .as(f)
          .isFalse();
    }
  }

  @Test
  void int4_refusedAsHavingNoCanonicalForm() {
    assertThatThrownBy(() -> FormatDetector.create().open(fixture("unsupported_int4.msgpack")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("dtype 'int4'");
  }

  @Test
  void everyTruncation_refusedWithOneLine() throws Exception {
    byte[] all = Files.readAllBytes(fixture("linen.msgpack"));
    Path f = tmp.resolve("t.msgpack");
    for (int n = 1; n < all.length; n++) {
      Files.write(f, Arrays.copyOf(all, n));
      final int len = n;
      assertThatThrownBy(() -> FlaxReader.open(f, ReadLimits.defaults()))
          .as("prefix %d", len)
          .isInstanceOf(FormatException.class)
          .satisfies(e -> assertShortLine(e.getMessage()));
    }
  }

  @Test
  void hostileSamples_refusedWithOneLine() throws Exception {
    // a bin32 claiming 4 GiB of data
    expectRefused(bytes(0x81, 0xa1, 'w', 0xc9, 0xff, 0xff, 0xff, 0xf0, 0x01), "more than");
    // a map32 of 2^32-1 entries, an array32 of 2^32-1 items
    expectRefused(bytes(0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 'a'), "entries");
    expectRefused(bytes(0x81, 0xa1, 'a', 0xdd, 0xff, 0xff, 0xff, 0xff, 0), "items");
    // the array's data length disagrees with its dtype and shape
    byte[] ok = Files.readAllBytes(fixture("big_endian.msgpack"));
    byte[] bad = ok.clone();
    bad[9] = 4; // shape [3] -> [4]
    expectRefused(bad, "bytes of data");
    // trailing bytes after the value, an unknown extension type, a duplicate key
    byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
    expectRefused(trailing, "more bytes");
    byte[] ext = ok.clone();
    ext[6] = 9;
    expectRefused(ext, "extension of type 9");
    expectRefused(
        concat(
            bytes(0x82, 0xa2, 'b', 'e'),
            Arrays.copyOfRange(ok, 4, ok.length),
            bytes(0xa2, 'b', 'e', 0xc0)),
        "twice");
    // a bool byte that is neither 0 nor 1
    byte[] boolArr =
        bytes(
            0x81, 0xa1, 'b', 0xc7, 0x0c, 0x01, 0x93, 0x91, 0x02, 0xa4, 'b', 'o', 'o', 'l', 0xc4,
            0x02, 0x01, 0x02);
    Path f = tmp.resolve("bool.msgpack");
    Files.write(f, boolArr);
    assertThatThrownBy(() -> fp(f))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("other than 0 or 1");
  }

  @Test
  void deepNesting_refusedAtTheLimit() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < 100_000; i++) {
      b.write(0x81);
      b.write(0xa1);
      b.write('a');
    }
    b.write(0xc0);
    Path f = tmp.resolve("deep.msgpack");
    Files.write(f, b.toByteArray());
    assertThatThrownBy(() -> FormatDetector.create().open(f))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("nesting")
        .satisfies(e -> assertShortLine(e.getMessage()));
  }

  @Test
  void longKey_quotedShortInTheMessage() throws Exception {
    byte[] key = new byte[70_000];
    Arrays.fill(key, (byte) 'A');
    byte[] data = concat(bytes(0x81, 0xa1, 'k', 0x81, 0xdb, 0, 1, 0x11, 0x70), key, bytes(0xc0));
    Path f = tmp.resolve("key.msgpack");
    Files.write(f, data);
    assertThatThrownBy(() -> FlaxReader.open(f, ReadLimits.defaults()))
        .isInstanceOf(LimitExceededException.class)
        .satisfies(e -> assertShortLine(e.getMessage()));
    // the same at the top level, found by the detector
    Files.write(f, concat(bytes(0x81, 0xdb, 0, 1, 0x11, 0x70), key, bytes(0xc0)));
    assertThatThrownBy(() -> FormatDetector.create().open(f))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("key")
        .satisfies(e -> assertShortLine(e.getMessage()));
    // a long key that is allowed but then breaks a rule is quoted as a prefix with its length
    byte[] key2 = new byte[2000];
    Arrays.fill(key2, (byte) 'B');
    byte[] dup =
        concat(
            bytes(0x82, 0xda, 0x07, 0xd0), key2, bytes(0xc0, 0xda, 0x07, 0xd0), key2, bytes(0xc0));
    Files.write(f, dup);
    assertThatThrownBy(() -> FlaxReader.open(f, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("(2,000 bytes)")
        .satisfies(e -> assertShortLine(e.getMessage()));
  }

  private void expectRefused(byte[] data, String reason) throws Exception {
    Path f = tmp.resolve("h.msgpack");
    Files.write(f, data);
    assertThatThrownBy(() -> FormatDetector.create().open(f))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertShortLine(e.getMessage()));
  }

  private static void assertShortLine(String m) {
    assertThat(m).doesNotContain("\n");
    assertThat(m.getBytes(StandardCharsets.UTF_8).length).isLessThan(300);
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }
}
