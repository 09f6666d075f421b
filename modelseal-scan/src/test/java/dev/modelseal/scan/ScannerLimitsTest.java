package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bombs, depth, broken archives and unreadable files: findings or errors, never silence. */
class ScannerLimitsTest {
  @TempDir Path dir;

  @Test
  void gzipBomb_stopsAtTheStreamLimit() throws IOException {
    Path f = dir.resolve("bomb.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write(new byte[] {(byte) 0x80, 2, ']'});
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        out.write(zeros); // 64 MiB of zeros compress to ~64 KiB
      }
    }
    ModelScanner s =
        ModelScanner.builder().limits(ScanLimits.defaults().withStreamBytes(1 << 20)).build();
    ScanReport r = s.scan(f);
    assertThat(r.findings())
        .anyMatch(x -> x.rule().equals("pickle.malformed") || x.rule().equals("scan.limit"));
  }

  @Test
  void zipBomb_memberOverTheLimit_isAFinding() throws IOException {
    Path f = dir.resolve("bomb.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("data"));
      z.write(new byte[] {(byte) 0x80, 2, 'N', 'N'});
      z.write(new byte[4 << 20]);
      z.closeEntry();
      z.putNextEntry(new ZipEntry("inner.gz"));
      try (GZIPOutputStream g = new GZIPOutputStream(new NonClosing(z))) {
        // BINBYTES8 of 4 MiB: the walker reads past it, through the bounded stream.
        g.write(new byte[] {(byte) 0x80, 4, (byte) 0x8e, 0, 0, 0x40, 0, 0, 0, 0, 0});
        g.write(new byte[4 << 20]);
        g.write('.');
      }
      z.closeEntry();
    }
    ModelScanner s =
        ModelScanner.builder().limits(ScanLimits.defaults().withStreamBytes(1 << 20)).build();
    ScanReport r = s.scan(f);
    assertThat(r.findings())
        .anyMatch(x -> x.rule().equals("scan.limit") && x.location().contains("inner.gz"));
  }

  @Test
  void nestingDeeperThanTheLimit_isAFinding() {
    ModelScanner s = ModelScanner.builder().limits(ScanLimits.defaults().withDepth(1)).build();
    ScanReport r = s.scan(Fixtures.of("nested.zip"));
    assertThat(r.findings()).anyMatch(x -> x.rule().equals("scan.too-deep"));
  }

  @Test
  void brokenZip_isAFinding() throws IOException {
    Path f = dir.resolve("broken.pt");
    byte[] good = Files.readAllBytes(Fixtures.of("torch_system.pt"));
    Files.write(f, java.util.Arrays.copyOf(good, good.length - 30));
    ScanReport r = ModelScanner.create().scan(f);
    assertThat(r.findings()).anyMatch(x -> x.rule().equals("zip.malformed"));
  }

  @Test
  void duplicateZipMember_isAFinding() throws IOException {
    byte[] good = Files.readAllBytes(Fixtures.of("zip_member_no_ext.zip"));
    // Rename nothing: append a second central directory entry by building a zip by hand is long;
    // instead write two entries whose names differ only after the writer's check.
    Path f = dir.resolve("dup.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.putNextEntry(new ZipEntry("a/data.pkl"));
      z.write(new byte[] {(byte) 0x80, 2, 'N', '.'});
      z.closeEntry();
      z.putNextEntry(new ZipEntry("a/data.pkX"));
      z.write(new byte[] {(byte) 0x80, 2, 'N', '.'});
      z.closeEntry();
    }
    byte[] b = Files.readAllBytes(f);
    for (int i = b.length - 1; i > 0; i--) {
      if (b[i] == 'X' && b[i - 1] == 'k') {
        b[i] = 'l'; // central directory name of the second entry becomes a/data.pkl
        break;
      }
    }
    Files.write(f, b);
    assertThat(good).isNotEmpty();
    ScanReport r = ModelScanner.create().scan(f);
    assertThat(r.findings()).anyMatch(x -> x.rule().equals("zip.duplicate-member"));
  }

  @Test
  void missingFile_isAnError_andKeepsOtherFindings() {
    ScanReport r =
        ModelScanner.create().scan(dir.resolve("missing.pt"), Fixtures.of("eval_p2.pkl"));
    assertThat(r.complete()).isFalse();
    assertThat(r.errors())
        .extracting(ScanError::reason)
        .containsExactly("no such file or directory");
    assertThat(r.worst()).contains(Severity.CRITICAL);
  }

  @Test
  void directory_isWalked_savedModelGraphInspected_variablesSkipped() throws IOException {
    Path sm = Files.createDirectories(dir.resolve("m/saved/variables"));
    Files.copy(Fixtures.of("tf/savedmodel_pyfunc.pb"), dir.resolve("m/saved/saved_model.pb"));
    Files.write(sm.resolve("variables.data-00000-of-00001"), new byte[] {1, 2, 3, 4, 5});
    Files.copy(Fixtures.of("eval_p2.pkl"), dir.resolve("m/x.bin"));
    ScanReport r = ModelScanner.create().scan(dir.resolve("m"));
    assertThat(r.findings())
        .anyMatch(x -> x.rule().equals("savedmodel.python-op") && x.file().endsWith(".pb"))
        .anyMatch(x -> x.rule().equals("pickle.dangerous-import") && x.file().endsWith("x.bin"))
        .noneMatch(x -> x.file().contains("variables.data"));
    assertThat(r.skipped()).anyMatch(x -> x.file().contains("variables.data"));
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
