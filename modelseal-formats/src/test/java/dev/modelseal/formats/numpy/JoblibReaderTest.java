package dev.modelseal.formats.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * joblib files written by the real joblib.dump ({@code fixtures/generate_joblib.py}): the inline
 * arrays are the tensors, with the same digests as the same arrays in an .npz written by numpy.
 */
class JoblibReaderTest {
  @TempDir Path dir;

  private static Path fixture(String name) {
    return Shared.fixture("joblib/" + name);
  }

  @Test
  void estimatorCoefficients_sameDigestsAsNpz() throws Exception {
    Path joblib = fixture("estimator.joblib");
    assertThat(FormatDetector.create().detect(joblib)).isEqualTo(Format.JOBLIB);
    Fingerprint f = Fingerprinter.create().fingerprint(joblib);
    Fingerprint npz = Fingerprinter.create().fingerprint(fixture("estimator.npz"));
    assertThat(f.weights()).isEqualTo(npz.weights());
    assertThat(f.content()).isEqualTo(npz.content());
    try (TensorModel m = FormatDetector.create().open(joblib)) {
      assertThat(m.tensors().stream().map(t -> t.info().name()))
          .containsExactlyInAnyOrder("coef_", "intercept_", "classes_", "n_iter_");
    }
  }

  @Test
  void everyDtypeAndOrder_alignedOrNot_sameDigestsAsNpz() throws Exception {
    Fingerprint npz = Fingerprinter.create().fingerprint(fixture("arrays.npz"));
    for (String name : List.of("arrays.joblib", "unaligned.joblib")) {
      Fingerprint f = Fingerprinter.create().fingerprint(fixture(name));
      assertThat(f.weights()).as(name).isEqualTo(npz.weights());
    }
    try (TensorModel m = FormatDetector.create().open(fixture("arrays.joblib"))) {
      assertThat(m.metadata()).containsEntry("joblib.object_arrays", "1");
    }
  }

  @Test
  void truncatedOrExtended_isRefusedWithAReason() throws Exception {
    byte[] valid = Files.readAllBytes(fixture("arrays.joblib"));
    Path p = dir.resolve("cut.joblib");
    for (int n = 40; n < valid.length; n += 7) {
      Files.write(p, Arrays.copyOf(valid, n));
      assertThatThrownBy(() -> JoblibReader.open(p, dev.modelseal.formats.ReadLimits.defaults()))
          .as("cut at " + n)
          .isInstanceOf(FormatException.class);
    }
    byte[] longer = Arrays.copyOf(valid, valid.length + 3);
    Files.write(p, longer);
    assertThatThrownBy(() -> JoblibReader.open(p, dev.modelseal.formats.ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("after the pickle's STOP");
  }
}
