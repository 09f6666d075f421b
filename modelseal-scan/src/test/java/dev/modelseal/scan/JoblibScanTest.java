package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

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
}
