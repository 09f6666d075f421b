package dev.modelseal.formats.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and .npz: headers parsed without evaluation, layouts converted, hostile files rejected. */
class NpyReaderTest {
  @TempDir Path dir;

  static byte[] npy(int major, String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      out.writeBytes(
          ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) h.length).array());
    } else {
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
    }
    out.writeBytes(h);
    out.writeBytes(data);
    return out.toByteArray();
  }

  static String dict(String descr, boolean fortran, String shape) {
    return "{'descr': '"
        + descr
        + "', 'fortran_order': "
        + (fortran ? "True" : "False")
        + ", 'shape': "
        + shape
        + ", }\n";
  }

  private Path file(byte[] content) throws Exception {
    Path p = dir.resolve("x.npy");
    Files.write(p, content);
    return p;
  }

  private void rejects(byte[] content, Class<? extends FormatException> type, String reason)
      throws Exception {
    Path p = file(content);
    assertThatThrownBy(() -> NpyReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(type)
        .hasMessageStartingWith(p + ": ")
        .hasMessageContaining(reason);
  }

  private static byte[] canonical(TensorModel m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TensorStream s = m.tensors().get(0).open()) {
      for (ByteBuffer b = s.next(); b != null; b = s.next()) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.writeBytes(a);
      }
    }
    return out.toByteArray();
  }

  @Test
  void npzMemberCommentNotUtf8_malformed() throws Exception {
    Path p = dir.resolve("bad-comment.npz");
    byte[] npz = Files.readAllBytes(Shared.fixture("common.npz"));
    Files.write(p, Shared.invalidUtf8ZipComment(npz));
    assertThatThrownBy(() -> NpzReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("zip member name or comment is not valid UTF-8");
  }

  @Test
  void versions1to3_read_namedAfterFile() throws Exception {
    for (int v = 1; v <= 3; v++) {
      Path p = file(npy(v, dict("<i2", false, "(2,)"), new byte[] {1, 0, 2, 0}));
      try (TensorModel m = NpyReader.open(p, ReadLimits.defaults())) {
        assertThat(m.tensors().get(0).info().name()).isEqualTo("x");
        assertThat(m.tensors().get(0).info().dtype()).isEqualTo(DType.INT16);
        assertThat(canonical(m)).containsExactly(1, 0, 2, 0);
      }
    }
  }

  @Test
  void bigEndian_swapped() throws Exception {
    Path p = file(npy(1, dict(">i4", false, "(2,)"), new byte[] {0, 0, 0, 1, 0, 0, 1, 2}));
    try (TensorModel m = NpyReader.open(p, ReadLimits.defaults())) {
      assertThat(canonical(m)).containsExactly(1, 0, 0, 0, 2, 1, 0, 0);
    }
  }

  @Test
  void bigEndianComplex_swappedPerComponent() throws Exception {
    byte[] be = {0, 0, 0, 1, 0, 0, 0, 2};
    Path p = file(npy(1, dict(">c8", false, "(1,)"), be));
    try (TensorModel m = NpyReader.open(p, ReadLimits.defaults())) {
      assertThat(canonical(m)).containsExactly(1, 0, 0, 0, 2, 0, 0, 0);
    }
  }

  @Test
  void fortranOrder_transposed() throws Exception {
    // [[0, 1, 2], [3, 4, 5]] column-major: 0 3 1 4 2 5
    Path p = file(npy(1, dict("|u1", true, "(2, 3)"), new byte[] {0, 3, 1, 4, 2, 5}));
    try (TensorModel m = NpyReader.open(p, ReadLimits.defaults())) {
      assertThat(canonical(m)).containsExactly(0, 1, 2, 3, 4, 5);
    }
  }

  @Test
  void fortranOrder3d_transposed() throws Exception {
    // shape (2, 2, 2): C index (i, j, k) = 4i + 2j + k; Fortran offset = i + 2j + 4k
    byte[] f = new byte[8];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 2; k++) {
          f[i + 2 * j + 4 * k] = (byte) (4 * i + 2 * j + k);
        }
      }
    }
    Path p = file(npy(1, dict("|i1", true, "(2, 2, 2)"), f));
    try (TensorModel m = NpyReader.open(p, ReadLimits.defaults())) {
      assertThat(canonical(m)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
  }

  @Test
  void python2LongSuffix_accepted() throws Exception {
    Path p = file(npy(1, dict("<u2", false, "(1L,)"), new byte[2]));
    try (TensorModel m = NpyReader.open(p, ReadLimits.defaults())) {
      assertThat(m.tensors().get(0).info().shape()).containsExactly(1);
    }
  }

  @Test
  void badMagic_rejected() throws Exception {
    byte[] b = npy(1, dict("<f4", false, "()"), new byte[4]);
    b[1] = 'X';
    rejects(b, MalformedModelException.class, "bad magic");
  }

  @Test
  void unknownVersion_rejected() throws Exception {
    rejects(npy(4, dict("<f4", false, "()"), new byte[4]), UnsupportedModelException.class, "4.0");
  }

  @Test
  void headerOverLimit_rejected() throws Exception {
    rejects(
        npy(2, "{" + " ".repeat(20_000) + "}", new byte[0]),
        LimitExceededException.class,
        "over the limit of 10000");
  }

  @Test
  void headerTruncated_rejected() throws Exception {
    byte[] b = npy(1, dict("<f4", false, "()"), new byte[0]);
    rejects(
        java.util.Arrays.copyOf(b, 20), MalformedModelException.class, "ends inside its header");
  }

  @Test
  void malformedHeaders_rejected() throws Exception {
    String[][] cases = {
      {"[1, 2]", "exactly descr, fortran_order and shape"},
      {"{'descr': '<f4', 'shape': ()}", "exactly descr"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}", "exactly descr"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}", "duplicate key"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", "fortran_order is not"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "shape is not a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "shape is not a tuple"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': ('a',)}", "non-integer"},
      {"{'descr': '''<f4''', 'fortran_order': False, 'shape': ()}", "triple-quoted"},
      {"{'descr': '<\\x6', 'fortran_order': False, 'shape': ()}", "malformed escape"},
      {"{'descr': '\\N{NO SUCH NAME}', 'fortran_order': False, 'shape': ()}", "character name"},
      {"{'descr': '<f4', 'fortran_order': __import__('os'), 'shape': ()}", "unsupported literal"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': ()} x", "unexpected text"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "too large"},
      {"{'descr': '<f4' 'fortran_order': False, 'shape': ()}", "expected '}'"},
    };
    for (String[] c : cases) {
      rejects(npy(1, c[0], new byte[4]), MalformedModelException.class, c[1]);
    }
  }

  @Test
  void escapedHeaderStrings_readAsNumpyReadsThem() throws Exception {
    // numpy's safe_eval is Python's literal parser: escapes, prefixes and adjacent literals.
    for (String descr :
        new String[] {
          "'<\\x66\\x34'",
          "'<\\u0066\\U00000034'",
          "'<\\146\\064'",
          "u'<f' '4'",
          "'<\\N{LATIN SMALL LETTER F}4'"
        }) {
      String header = "{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }\n";
      try (TensorModel m =
          NpyReader.open(file(npy(1, header, new byte[4])), ReadLimits.defaults())) {
        assertThat(m.tensors().get(0).info().dtype()).as(descr).isEqualTo(DType.FLOAT32);
      }
    }
    assertThat(NpyHeaderStrings.of("{'descr': '\\x7cO', 'shape': ()}")).contains("|O");
    assertThat(NpyHeaderStrings.of("{'descr': '\\u007cO'}")).contains("|O");
  }

  @Test
  void objectArray_refusedClearly() throws Exception {
    rejects(
        npy(1, dict("|O", false, "(1,)"), new byte[8]),
        UnsupportedModelException.class,
        "object array (dtype '|O'): its data is a pickle, which is never loaded");
  }

  @Test
  void structuredAndUnsupportedDtypes_refused() throws Exception {
    rejects(
        npy(1, "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,)}", new byte[4]),
        UnsupportedModelException.class,
        "structured dtype");
    for (String d : new String[] {"<U3", "|S4", "<f16", "<M8[s]", "|V4"}) {
      rejects(
          npy(1, dict(d, false, "(1,)"), new byte[16]),
          UnsupportedModelException.class,
          "no canonical weights form");
    }
  }

  @Test
  void nativeByteOrderForWideTypes_refused() throws Exception {
    rejects(
        npy(1, dict("=f4", false, "(1,)"), new byte[4]),
        UnsupportedModelException.class,
        "no explicit byte order");
    Path ok = file(npy(1, dict("=u1", false, "(1,)"), new byte[1]));
    NpyReader.open(ok, ReadLimits.defaults()).close();
  }

  @Test
  void truncatedAndTrailingData_rejected() throws Exception {
    rejects(
        npy(1, dict("<f4", false, "(2,)"), new byte[4]),
        MalformedModelException.class,
        "(truncated)");
    rejects(
        npy(1, dict("<f4", false, "(1,)"), new byte[5]),
        MalformedModelException.class,
        "(trailing bytes)");
  }

  @Test
  void boolNotZeroOrOne_rejectedWhenRead() throws Exception {
    Path p = file(npy(1, dict("|b1", false, "(2,)"), new byte[] {0, 7}));
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("byte other than 0 or 1");
  }

  private Path npz(boolean deflate, Object... nameAndContent) throws Exception {
    Path p = dir.resolve("z.npz");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
      for (int i = 0; i < nameAndContent.length; i += 2) {
        byte[] c = (byte[]) nameAndContent[i + 1];
        ZipEntry e = new ZipEntry((String) nameAndContent[i]);
        if (!deflate) {
          e.setMethod(ZipEntry.STORED);
          e.setSize(c.length);
          CRC32 crc = new CRC32();
          crc.update(c);
          e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(c);
        z.closeEntry();
      }
    }
    return p;
  }

  @Test
  void npz_storedAndDeflated_sameFingerprint() throws Exception {
    byte[] a = npy(1, dict("<i4", false, "(1,)"), new byte[] {5, 0, 0, 0});
    byte[] f = npy(1, dict("|u1", true, "(2, 3)"), new byte[] {0, 3, 1, 4, 2, 5});
    var stored = Fingerprinter.create().fingerprint(npz(false, "a.npy", a, "b/f.npy", f));
    var deflated = Fingerprinter.create().fingerprint(npz(true, "a.npy", a, "b/f.npy", f));
    assertThat(stored.weights()).isEqualTo(deflated.weights());
    assertThat(stored.tensors()).extracting(t -> t.name()).containsExactly("a", "b/f");
  }

  @Test
  void npz_nonNpyMember_refused() throws Exception {
    Path p = npz(true, "archive/data.pkl", new byte[] {1});
    assertThatThrownBy(() -> NpzReader.open(p, ReadLimits.defaults()))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("'archive/data.pkl' is not a .npy array");
  }

  @Test
  void npz_memberWithTrailingData_rejectedWhenRead() throws Exception {
    byte[] a = npy(1, dict("<i4", false, "(1,)"), new byte[] {5, 0, 0, 0, 9});
    Path p = npz(false, "a.npy", a);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("member 'a.npy'");
  }

  @Test
  void npz_memberTruncated_rejectedWhenRead() throws Exception {
    byte[] a = npy(1, dict("<i4", false, "(2,)"), new byte[] {5, 0, 0, 0});
    Path p = npz(true, "a.npy", a);
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("member 'a.npy'");
  }

  @Test
  void npz_notAZip_rejected() throws Exception {
    Path p = dir.resolve("bad.npz");
    Files.write(p, new byte[] {'P', 'K', 3, 4, 0, 0});
    assertThatThrownBy(() -> FormatDetector.create().open(p))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("not a valid zip archive");
  }

  @Test
  void npz_fortranOverInMemoryLimit_rejected() throws Exception {
    byte[] f = npy(1, dict("|u1", true, "(2, 3)"), new byte[6]);
    Path p = npz(true, "f.npy", f);
    assertThatThrownBy(
            () -> NpzReader.open(p, ReadLimits.defaults().withInMemoryTensorBytes(5)).close())
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void realNumpyTestdata() throws Exception {
    for (String n : new String[] {"python3.npy", "win64python2.npy"}) {
      try (TensorModel m = FormatDetector.create().open(Shared.real("numpy-testdata/" + n))) {
        assertThat(m.tensors().get(0).info().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(m.tensors().get(0).info().shape()).containsExactly(2);
      }
    }
    for (String n :
        new String[] {"py2-objarr.npy", "py3-objarr.npy", "py2-objarr.npz", "py3-objarr.npz"}) {
      Path p = Shared.real("numpy-testdata/" + n);
      assertThatThrownBy(() -> FormatDetector.create().open(p))
          .as(n)
          .isInstanceOf(UnsupportedModelException.class)
          .hasMessageStartingWith(p + ": ")
          .hasMessageContaining("object array");
    }
  }
}
