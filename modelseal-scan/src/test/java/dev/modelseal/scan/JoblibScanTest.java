package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real {@code joblib.dump} files ({@code fixtures/generate_joblib.py}): the arrays written inline
 * after each NumpyArrayWrapper are stepped over as joblib reads them, so the pickle after them is
 * scanned, also inside joblib's compressed files.
 */
class JoblibScanTest {
  @Test
  void realJoblibFiles_plainAndCompressed_scanCleanToTheEnd() {
    for (String name :
        List.of(
            "joblib_arrays.joblib",
            "joblib_arrays.joblib.gz",
            "joblib_arrays.joblib.bz2",
            "joblib_arrays.joblib.xz",
            "joblib_arrays.joblib.lzma")) {
      ScanReport r = Fixtures.scan(name);
      assertThat(r.findings()).as(name).isEmpty();
      // The object array's nested pickle follows two inline arrays: its import is only seen when
      // the walk stepped over them.
      assertThat(r.imports()).as(name).anyMatch(i -> i.name().equals("_reconstruct"));
    }
  }

  @Test
  void payloadAfterAnInlineArray_isNamed() {
    for (String name :
        List.of("joblib_payload_after_array.joblib", "joblib_payload_after_array.joblib.gz")) {
      ScanReport r = Fixtures.scan(name);
      assertThat(r.findings())
          .as(name + ": " + r.findings())
          .anyMatch(
              f -> f.severity().atLeast(Severity.HIGH) && f.message().contains("builtins.print"))
          .noneMatch(f -> f.rule().equals("pickle.malformed"));
    }
  }

  @Test
  void numpyMatrix_andJoblibsZlibCompression_scanClean() {
    for (String name : List.of("joblib_matrix.joblib", "joblib_arrays.joblib.z")) {
      ScanReport r = Fixtures.scan(name);
      assertThat(r.findings()).as(name + ": " + r.findings()).isEmpty();
    }
  }

  @Test
  void oldJoblibArrayFiles_besideThePickle_areLow_andNamed() {
    // joblib < 0.10's layouts (written with the compat classes joblib ships to read them, and
    // checked by the generator to load): the wrapper's BUILD reads the sibling file
    ScanReport plain = Fixtures.scan("old_ndarray.pkl");
    assertThat(plain.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo("pickle.joblib-file");
              assertThat(f.severity()).isEqualTo(Severity.LOW);
              assertThat(f.message()).contains("'old_ndarray.pkl_01.npy'", "allow_pickle=True");
            });
    ScanReport z = Fixtures.scan("old_zfile.gz");
    assertThat(z.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo("pickle.joblib-file");
              assertThat(f.severity()).isEqualTo(Severity.LOW);
              assertThat(f.message()).contains("ZNDArrayWrapper", "'old_zfile.gz_01.npy.z'");
            });
    // the array's zfile holds raw bytes (never unpickled): nothing to report
    assertThat(Fixtures.scan("old_zfile.gz_01.npy.z").findings()).isEmpty();
  }

  @Test
  void oldJoblibArrayFile_outsideThePickleDirectory_isHigh() {
    ScanReport r = Fixtures.scan("old_escape.pkl");
    assertThat(r.findings())
        .anyMatch(
            f ->
                f.rule().equals("pickle.joblib-file")
                    && f.severity() == Severity.HIGH
                    && f.message().contains("'../../outside.npy'"))
        .anyMatch(f -> f.severity() == Severity.CRITICAL);
  }

  @Test
  void aPayloadInsideJoblibZlibFiles_isFound(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    // protocol 2: os.system('true') -- never loaded
    byte[] evil =
        new byte[] {
          (byte) 0x80,
          2,
          'c',
          'o',
          's',
          '\n',
          's',
          'y',
          's',
          't',
          'e',
          'm',
          '\n',
          'X',
          4,
          0,
          0,
          0,
          't',
          'r',
          'u',
          'e',
          (byte) 0x85,
          'R',
          '.'
        };
    java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
      d.write(evil);
    }
    // joblib < 0.10: "ZF", hex(len) padded to 19 characters, the zlib stream
    String header = "ZF" + String.format("%-19s", "0x" + Integer.toHexString(evil.length));
    Path zf = tmp.resolve("model.pkl");
    Files.write(
        zf, concat(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII), z.toByteArray()));
    Path bare = Files.write(tmp.resolve("model.z"), z.toByteArray());
    for (Path p : List.of(zf, bare)) {
      ScanReport r = ModelScanner.builder().build().scan(p);
      assertThat(r.findings())
          .as(p.getFileName().toString())
          .anyMatch(f -> f.severity() == Severity.CRITICAL && f.message().contains("os.system"));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
