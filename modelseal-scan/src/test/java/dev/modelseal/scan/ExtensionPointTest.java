package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A format rule added as one class replaces the "not inspected" fallback for its format. */
class ExtensionPointTest {
  @TempDir Path dir;

  /** A stand-in for the Keras rule the TensorFlow-family work will add. */
  private static final class Hdf5Rule implements FormatRule {
    @Override
    public String format() {
      return "hdf5";
    }

    @Override
    public boolean claims(Content c) {
      return c.headByte(0) == 0x89 && c.headByte(1) == 'H' && c.headByte(2) == 'D';
    }

    @Override
    public void scan(Content c, ScanContext ctx) {
      ctx.finding(c, "keras.lambda", Severity.HIGH, "layer 'model/lambda'", "Lambda layer");
    }
  }

  @Test
  void addedRule_takesPrecedenceOverTheFallback() throws IOException {
    Path h5 = dir.resolve("model.h5");
    Files.write(h5, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n', 0, 0});
    assertThat(ModelScanner.create().scan(h5).findings())
        .extracting(Finding::rule)
        .containsExactly("format.not-inspected");
    ScanReport r = ModelScanner.builder().rule(new Hdf5Rule()).build().scan(h5);
    assertThat(r.findings()).extracting(Finding::rule).containsExactly("keras.lambda");
    assertThat(r.findings().get(0).location()).isEqualTo("layer 'model/lambda'");
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
