package dev.modelseal.formats.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.ModelIoException;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.fingerprint.TensorFingerprint;
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
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PyGlobal;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch zip, legacy and TorchScript files: real files read, views are materialised, and every
 * hostile input (unlisted globals, short storages, escaping member names, truncations) is refused
 * with a one-line FormatException. The fixtures' digests are checked in CrossFormatTest.
 */
class TorchReaderTest {
  @TempDir Path dir;

  private static Map<String, TensorFingerprint> tensors(Path p) throws Exception {
    Map<String, TensorFingerprint> m = new LinkedHashMap<>();
    Fingerprinter.create().fingerprint(p).tensors().forEach(t -> m.put(t.name(), t));
    return m;
  }

  // ---- fixtures and real files ------------------------------------------------------------------

  @Test
  void fixtures_detectedByContent() throws Exception {
    Map<String, Format> want =
        Map.of(
            "common.pt", Format.PYTORCH,
            "common_legacy.pt", Format.PYTORCH_LEGACY,
            "tiny_script.pt", Format.TORCHSCRIPT,
            "tiny_traced.pt", Format.TORCHSCRIPT,
            "all_big_endian.pt", Format.PYTORCH,
            "common.npz", Format.NPZ);
    for (var e : want.entrySet()) {
      Path renamed = dir.resolve(e.getKey() + ".safetensors");
      Files.copy(Shared.fixture(e.getKey()), renamed);
      assertThat(FormatDetector.create().detect(renamed)).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void zipLegacyAndBigEndian_sameAsSafetensors() throws Exception {
    Fingerprint st = Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors"));
    for (String f :
        List.of(
            "common.pt",
            "common_legacy.pt",
            "common_torch24.pt",
            // generate_torch_protocols.py: legacy files of pickle protocols 1, 4 and 5
            "common_legacy_p1.pt",
            "common_legacy_p4.pt",
            "common_legacy_p5.pt")) {
      Fingerprint p = Fingerprinter.create().fingerprint(Shared.fixture(f));
      assertThat(p.weights()).as(f).isEqualTo(st.weights());
    }
    assertThat(Fingerprinter.create().fingerprint(Shared.fixture("all_big_endian.pt")).weights())
        .isEqualTo(Fingerprinter.create().fingerprint(Shared.fixture("all.pt")).weights());
  }

  @Test
  void deflatedCopy_sameFingerprint_andGlobalsInMetadata() throws Exception {
    Path src = Shared.fixture("views.pt");
    Path p = dir.resolve("deflated.bin");
    try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(src.toFile());
        ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
      for (var en = in.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        z.putNextEntry(new ZipEntry(e.getName()));
        z.write(in.getInputStream(e).readAllBytes());
        z.closeEntry();
      }
    }
    assertThat(Fingerprinter.create().fingerprint(p).weights())
        .isEqualTo(Fingerprinter.create().fingerprint(src).weights());
    try (TensorModel m = FormatDetector.create().open(p)) {
      assertThat(m.metadata().get("pytorch.globals"))
          .isEqualTo(
              "collections.OrderedDict, torch.FloatStorage, torch.LongStorage,"
                  + " torch.ShortStorage, torch._utils._rebuild_tensor_v2");
      assertThat(m.metadata().get("pytorch.archive")).isEqualTo("views");
    }
  }

  @Test
  void views_materialisedRowMajor_sharedStoragesAndTiedNames() throws Exception {
    Map<String, TensorFingerprint> v = tensors(Shared.fixture("views.pt"));
    assertThat(v.keySet())
        .containsExactlyInAnyOrder(
            "base",
            "transposed",
            "row_slice",
            "col_slice",
            "strided",
            "offset_flat",
            "expanded",
            "nested.inner.w",
            "nested.inner.permuted",
            "tied");
    assertThat(v.get("tied").digest()).isEqualTo(v.get("transposed").digest());
    assertThat(v.get("transposed").info().shape()).containsExactly(6, 4);
    Map<String, String> zipDigests = new LinkedHashMap<>();
    v.forEach((k, t) -> zipDigests.put(k, t.digest().toString()));
    Map<String, String> legacyDigests = new LinkedHashMap<>();
    tensors(Shared.fixture("views_legacy.pt"))
        .forEach((k, t) -> legacyDigests.put(k, t.digest().toString()));
    assertThat(legacyDigests).isEqualTo(zipDigests);
  }

  @Test
  void torchScript_parametersAndBuffersByAttributePath() throws Exception {
    Map<String, TensorFingerprint> s = tensors(Shared.fixture("tiny_script.pt"));
    assertThat(s.keySet())
        .containsExactlyInAnyOrder("lin.weight", "lin.bias", "conv.weight", "conv.bias", "scale");
  }

  @Test
  void realTorchServeFiles_archivePrefixAndNewLayout() throws Exception {
    for (String f : List.of("pytorch-serve/mnist_0_png.pt", "pytorch-serve/resnet_0_png.pt")) {
      Path p = Shared.real(f);
      try (TensorModel m = FormatDetector.create().open(p)) {
        assertThat(m.format()).as(f).isEqualTo(Format.PYTORCH);
        assertThat(m.tensors()).as(f).isNotEmpty();
      }
      assertThat(Fingerprinter.create().fingerprint(p).tensors()).isNotEmpty();
    }
  }

  @Test
  void realSileroTorchScript_reads() throws Exception {
    Path p = Shared.real("silero-vad/silero_vad.jit");
    try (TensorModel m = FormatDetector.create().open(p)) {
      assertThat(m.format()).isEqualTo(Format.TORCHSCRIPT);
      assertThat(m.tensors().size()).isGreaterThan(10);
      long bytes = m.tensors().stream().mapToLong(t -> t.info().byteLength()).sum();
      assertThat(bytes).isGreaterThan(1_000_000L);
    }
    assertThat(Fingerprinter.create().fingerprint(p).tensors()).isNotEmpty();
  }

  // ---- hostile pickles ------------------------------------------------------------------------

  @Test
  void osSystemReduce_refusedNamedNotExecuted() throws Exception {
    Path marker = dir.resolve("pwned");
    String cmd = "touch " + marker;
    byte[] pkl = b("\u0080\u0002cos\nsystem\nX" + le4(cmd.length()) + cmd + "\u0085R.");
    Path p = zip("archive", Map.of("data.pkl", pkl));
    assertThatThrownBy(() -> FormatDetector.create().open(p))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("refuses global 'os.system'")
        .hasMessageContaining("not executed")
        .hasMessageContaining("archive/data.pkl")
        .hasMessageNotContaining("\n");
    assertThat(marker).doesNotExist();
  }

  @Test
  void unlistedGlobalsAndGadgets_refused() throws Exception {
    for (String g :
        List.of(
            "builtins\neval",
            "torch\nload",
            "torch._utils\n_rebuild_qtensor",
            "collections\ndefaultdict")) {
      byte[] pkl = b("\u0080\u0002c" + g + "\n)R.");
      Path p = zip("a", Map.of("data.pkl", pkl));
      assertThatThrownBy(() -> TorchZipReader.open(p, ReadLimits.defaults()))
          .as(g)
          .isInstanceOf(UnsupportedModelException.class)
          .hasMessageContaining("refuses global '" + g.replace('\n', '.') + "'");
    }
    // A TorchScript-looking class is inert only without arguments and through NEWOBJ.
    Path p = zip("a", Map.of("data.pkl", b("\u0080\u0002c__torch__\nM\n)R.")));
    assertThatThrownBy(() -> TorchZipReader.open(p, ReadLimits.defaults()))
        .hasMessageContaining("refuses global '__torch__.M'");
    // A call of a computed value (getattr result...) is refused.
    Path q = zip("a", Map.of("data.pkl", b("\u0080\u0002ccollections\nOrderedDict\n)R)R.")));
    assertThatThrownBy(() -> TorchZipReader.open(q, ReadLimits.defaults()))
        .hasMessageContaining("a call of a computed value");
  }

  @Test
  void corruptStorage_crcMismatch() throws Exception {
    byte[] data = Files.readAllBytes(Shared.fixture("common.pt"));
    // f32 = [[1.5, -2.0, ...]]: 00 00 c0 3f 00 00 00 c0
    byte[] needle = {0, 0, (byte) 0xc0, 0x3f, 0, 0, 0, (byte) 0xc0};
    int at = -1;
    for (int i = 0; i + needle.length <= data.length && at < 0; i++) {
      if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
        at = i;
      }
    }
    assertThat(at).isPositive();
    data[at + 3] ^= 1;
    Path p = dir.resolve("corrupt.pt");
    Files.write(p, data);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("CRC-32 mismatch");
  }

  @Test
  void acceptedGlobals_forAScanner() {
    assertThat(TorchGlobals.accepted(new PyGlobal("torch._utils", "_rebuild_tensor_v2"))).isTrue();
    assertThat(TorchGlobals.accepted(new PyGlobal("torch", "BFloat16Storage"))).isTrue();
    assertThat(TorchGlobals.accepted(new PyGlobal("collections", "OrderedDict"))).isTrue();
    assertThat(TorchGlobals.accepted(new PyGlobal("__torch__.m", "Net"))).isTrue();
    assertThat(TorchGlobals.accepted(new PyGlobal("os", "system"))).isFalse();
    assertThat(TorchGlobals.accepted(new PyGlobal("torch.storage", "_load_from_bytes"))).isFalse();
    assertThat(TorchGlobals.accepted(new PyGlobal("__torch__x", "Net"))).isFalse();
  }

  @Test
  void storageShorterThanView_refused() throws Exception {
    // storage of 4 floats, view of size (3,) stride (2,) offset 0 reaches element 4
    Path p =
        zip(
            "a",
            Map.of(
                "data.pkl",
                tensorPickle(4, 0, new int[] {3}, new int[] {2}),
                "data/0",
                new byte[16]));
    assertThatThrownBy(() -> TorchZipReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("reaches element 4 of storage '0', which has 4");
    Path q =
        zip(
            "a",
            Map.of(
                "data.pkl",
                tensorPickle(4, 2, new int[] {2, 2}, new int[] {2, 1}),
                "data/0",
                new byte[16]));
    assertThatThrownBy(() -> TorchZipReader.open(q, ReadLimits.defaults()))
        .hasMessageContaining("reaches element 5");
    // storage member shorter than the persistent id's element count
    Path r =
        zip(
            "a",
            Map.of(
                "data.pkl",
                tensorPickle(4, 0, new int[] {4}, new int[] {1}),
                "data/0",
                new byte[12]));
    assertThatThrownBy(() -> TorchZipReader.open(r, ReadLimits.defaults()))
        .hasMessageContaining("is 12 bytes but its storage of 4 float32 needs 16");
    // missing storage member
    Path s = zip("a", Map.of("data.pkl", tensorPickle(4, 0, new int[] {4}, new int[] {1})));
    assertThatThrownBy(() -> TorchZipReader.open(s, ReadLimits.defaults()))
        .hasMessageContaining("has no zip member 'a/data/0'");
  }

  @Test
  void handBuiltTensor_stridedViewReadsRowMajor() throws Exception {
    byte[] data = new byte[6 * 4];
    for (int i = 0; i < 6; i++) {
      data[i * 4 + 3] = (byte) i; // big-endian-looking ints are fine: only the order matters
    }
    Path p =
        zip(
            "x",
            Map.of(
                "data.pkl",
                tensorPickle(6, 0, new int[] {3, 2}, new int[] {1, 3}),
                "data/0",
                data));
    try (TensorModel m = TorchZipReader.open(p, ReadLimits.defaults())) {
      TensorSource t = m.tensors().get(0);
      assertThat(t.info().name()).isEqualTo("w");
      var s = t.open();
      var out = new ByteArrayOutputStream();
      for (var b = s.next(); b != null; b = s.next()) {
        byte[] c = new byte[b.remaining()];
        b.get(c);
        out.writeBytes(c);
      }
      byte[] got = out.toByteArray();
      // transposed 2x3 -> 3x2: elements 0,3,1,4,2,5
      int[] order = {0, 3, 1, 4, 2, 5};
      for (int i = 0; i < 6; i++) {
        assertThat(got[i * 4 + 3]).isEqualTo((byte) order[i]);
      }
    }
  }

  @Test
  void zipEndRecordPastEndOfFile_malformed() throws Exception {
    // Found by TorchFuzzTest#torchZip: ZipFile threw EOFException, reported as an I/O error.
    Path p =
        Path.of(
            "src/test/resources/dev/modelseal/formats/pytorch/TorchFuzzTestInputs/torchZip",
            "zip-end-record-past-eof");
    assertThatThrownBy(() -> TorchZipReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("not a valid zip archive: truncated");
  }

  @Test
  void memberCommentNotUtf8_malformed() throws Exception {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("data.pkl", tensorPickle(1, 0, new int[] {1}, new int[] {1}));
    m.put("data/0", new byte[4]);
    Path good = zip("a", m);
    assertThat(TorchZipReader.open(good, ReadLimits.defaults()).tensors()).hasSize(1);
    Path p = dir.resolve("bad-comment.pt");
    Files.write(p, Shared.invalidUtf8ZipComment(Files.readAllBytes(good)));
    assertThatThrownBy(() -> TorchZipReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("bad-comment.pt")
        .hasMessageContaining("zip member name or comment is not valid UTF-8");
  }

  @Test
  void memberNamesEscapingTheArchive_refused() throws Exception {
    byte[] pkl = tensorPickle(1, 0, new int[] {1}, new int[] {1});
    for (String evil : List.of("../evil", "a/../../evil", "other/x", "a/./data/0", "a\\data")) {
      Map<String, byte[]> m = new LinkedHashMap<>();
      m.put("data.pkl", pkl);
      m.put("data/0", new byte[4]);
      Path p = zip("a", m, evil);
      assertThatThrownBy(() -> TorchZipReader.open(p, ReadLimits.defaults()))
          .as(evil)
          .isInstanceOf(MalformedModelException.class)
          .hasMessageContaining("zip member name");
    }
  }

  @Test
  void badByteorderAndDuplicateArchives_refused() throws Exception {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("data.pkl", tensorPickle(1, 0, new int[] {1}, new int[] {1}));
    m.put("data/0", new byte[4]);
    m.put("byteorder", b("middle"));
    assertThatThrownBy(() -> TorchZipReader.open(zip("a", m), ReadLimits.defaults()))
        .hasMessageContaining("neither 'little' nor 'big'");
    m.remove("byteorder");
    Path p = zip("a", m, "b/data.pkl");
    assertThatThrownBy(() -> TorchZipReader.open(p, ReadLimits.defaults()))
        .hasMessageContaining("two archives");
  }

  @Test
  void nestingAndDagBombs_limited() throws Exception {
    // 40 levels of (t, t) around one tensor: 2^40 paths; the walk stops at the node limit.
    StringBuilder s =
        new StringBuilder(
            new String(
                tensorPickle(1, 0, new int[] {1}, new int[] {1}), StandardCharsets.ISO_8859_1));
    s.setLength(s.length() - 1); // drop STOP
    for (int i = 0; i < 40; i++) {
      s.append("2\u0086");
    }
    s.append('.');
    Path p = zip("a", Map.of("data.pkl", b(s.toString()), "data/0", new byte[4]));
    assertThatThrownBy(
            () ->
                TorchZipReader.open(
                    p, ReadLimits.defaults(), PickleLimits.builder().nodes(100_000).build()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("values visited");
    // a list that contains itself
    Path q = zip("a", Map.of("data.pkl", b("\u0080\u0002]q\u0000h\u0000a.")));
    assertThatThrownBy(() -> TorchZipReader.open(q, ReadLimits.defaults()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void legacy_truncationsAndTrailingBytes_refused() throws Exception {
    byte[] valid = Files.readAllBytes(Shared.fixture("common_legacy.pt"));
    Path p = dir.resolve("legacy.pt");
    Files.write(p, Arrays.copyOf(valid, valid.length + 1));
    assertThatThrownBy(() -> TorchLegacyReader.open(p, ReadLimits.defaults()))
        .hasMessageContaining("1 bytes follow the last storage");
    List<String> failures = new ArrayList<>();
    for (int n = 0; n < valid.length; n += 7) {
      Files.write(p, Arrays.copyOf(valid, n));
      try (TensorModel m = FormatDetector.create().open(p)) {
        failures.add(n + ": accepted");
      } catch (FormatException | ModelIoException e) {
        if (e.getMessage().contains("\n")) {
          failures.add(n + ": multi-line");
        }
      } catch (Exception | Error e) {
        failures.add(n + ": " + e);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void legacy_payloadInHeaderPickle_refused() throws Exception {
    byte[] valid = Files.readAllBytes(Shared.fixture("common_legacy.pt"));
    // Replace the protocol-version pickle (after the 16-byte magic pickle) with a REDUCE.
    int magicLen = 2 + 2 + 10 + 1; // PROTO 2, LONG1 10, magic, STOP
    assertThat(valid[magicLen - 1]).isEqualTo((byte) '.');
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(valid, 0, magicLen);
    o.writeBytes(b("\u0080\u0002cposix\nsystem\nX\u0001\u0000\u0000\u0000x\u0085R."));
    Path p = dir.resolve("evil_legacy.pt");
    Files.write(p, o.toByteArray());
    assertThatThrownBy(() -> FormatDetector.create().open(p))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("posix.system")
        .hasMessageContaining("not executed");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** {'w': _rebuild_tensor_v2(storage '0' of numel floats, offset, size, stride, False, {})}. */
  static byte[] tensorPickle(int numel, int offset, int[] size, int[] stride) {
    StringBuilder s = new StringBuilder("\u0080\u0002}X\u0001\u0000\u0000\u0000w");
    s.append("ctorch._utils\n_rebuild_tensor_v2\n((X\u0007\u0000\u0000\u0000storage");
    s.append("ctorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpu");
    s.append('J').append(le4(numel)).append("tQ");
    s.append('J').append(le4(offset));
    s.append('(');
    for (int d : size) {
      s.append('J').append(le4(d));
    }
    s.append("t(");
    for (int d : stride) {
      s.append('J').append(le4(d));
    }
    s.append("t\u0089ccollections\nOrderedDict\n)RtRs.");
    return b(s.toString());
  }

  private Path zip(String prefix, Map<String, byte[]> members, String... extraNames)
      throws Exception {
    Path p = Files.createTempFile(dir, "t", ".bin");
    try (OutputStream f = Files.newOutputStream(p);
        ZipOutputStream z = new ZipOutputStream(f)) {
      for (var e : members.entrySet()) {
        stored(z, prefix + "/" + e.getKey(), e.getValue());
      }
      for (String n : extraNames) {
        stored(z, n, new byte[1]);
      }
    }
    return p;
  }

  private static void stored(ZipOutputStream z, String name, byte[] data) throws Exception {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    z.putNextEntry(e);
    z.write(data);
    z.closeEntry();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String le4(int n) {
    return new String(
        new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)},
        StandardCharsets.ISO_8859_1);
  }
}
