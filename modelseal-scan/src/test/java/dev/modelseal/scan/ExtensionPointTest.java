package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A format rule added as one class reads a format no built-in rule knows. */
class ExtensionPointTest {
  @TempDir Path dir;

  /** A rule for a vendor format "MSX1" no built-in rule reads. */
  private static final class VendorRule implements FormatRule {
    @Override
    public String format() {
      return "msx";
    }

    @Override
    public boolean claims(Content c) {
      return c.headMatches(0, new byte[] {'M', 'S', 'X', '1'});
    }

    @Override
    public void scan(Content c, ScanContext ctx) {
      ctx.finding(c, "msx.hook", Severity.HIGH, "section 'init'", "an init hook");
    }
  }

  @Test
  void addedRule_readsWhatWasAnUnknownFormat() throws IOException {
    Path f = dir.resolve("model.msx");
    Files.write(f, new byte[] {'M', 'S', 'X', '1', 0, 1, 2, 3, (byte) 0xFF, 0});
    assertThat(ModelScanner.create().scan(f).findings())
        .extracting(Finding::rule)
        .containsExactly("scan.unknown-format");
    ScanReport r = ModelScanner.builder().rule(new VendorRule()).build().scan(f);
    assertThat(r.findings()).extracting(Finding::rule).containsExactly("msx.hook");
    assertThat(r.findings().get(0).location()).isEqualTo("section 'init'");
  }

  @Test
  void addedRule_seesArchiveMembers() {
    ScanReport r =
        ModelScanner.builder()
            .rule(
                new FormatRule() {
                  @Override
                  public String format() {
                    return "text";
                  }

                  @Override
                  public boolean claims(Content c) {
                    return c.location().endsWith("member 'archive/version'");
                  }

                  @Override
                  public void scan(Content c, ScanContext ctx) {
                    ctx.finding(c, "test.version", Severity.INFO, "", "seen");
                  }
                })
            .build()
            .scan(Fixtures.of("torch_clean.pt"));
    assertThat(r.findings())
        .extracting(Finding::location)
        .containsExactly("member 'archive/version'");
  }
}
