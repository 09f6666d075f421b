package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.testing.SharedVectors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real, benign files of the shared vectors give no finding above "low". */
class RealVectorsTest {
  @Test
  void realFiles_haveNothingAboveLow() {
    Path real = SharedVectors.resolve("vectors/real");
    ScanReport r = ModelScanner.create().scan(real);
    // corrupted-utf8-roundtrip.gguf is truncated (gguf-py's reader refuses it too: a string claims
    // 1572864 bytes with 627333 left): failing closed on it is the one expected finding.
    assertThat(r.atLeast(Severity.MEDIUM))
        .allMatch(
            f ->
                f.file().endsWith("corrupted-utf8-roundtrip.gguf")
                    && f.rule().equals("gguf.malformed"),
            "only the truncated GGUF")
        .hasSize(1);
    assertThat(r.complete()).isTrue();
    assertThat(r.imports()).isNotEmpty();
    assertThat(r.imports()).allMatch(i -> i.rating() == ImportRating.SAFE, "all imports safe");
    // TorchScript: data.pkl, constants.pkl and the code's .debug_pkl members are all scanned.
    assertThat(r.imports())
        .extracting(PickleImport::location)
        .anyMatch(l -> l.contains("/constants.pkl'"))
        .anyMatch(l -> l.contains(".debug_pkl'"))
        .anyMatch(l -> l.contains("/data.pkl'"));
  }
}
