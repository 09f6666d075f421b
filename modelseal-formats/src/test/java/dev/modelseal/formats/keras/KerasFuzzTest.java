package dev.modelseal.formats.keras;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer harnesses for the Keras readers: any input either opens and fingerprints or fails with the
 * {@link FormatException} family, whatever jhdf throws inside; any other exception is a finding.
 * Without {@code JAZZER_FUZZ} they run over the seeds in {@code KerasFuzzTestInputs/}.
 */
class KerasFuzzTest {
  private static final ReadLimits LIMITS =
      ReadLimits.defaults().withInMemoryTensorBytes(1 << 20).withTensors(10_000);

  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("modelseal-fuzz-keras");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface Reader {
    TensorModel open(Path file, ReadLimits limits) throws ModelsealException;
  }

  private static void run(String name, byte[] data, Reader reader) throws ModelsealException {
    Path p = DIR.resolve(name);
    try {
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (TensorModel m = reader.open(p, LIMITS)) {
      Fingerprinter.create().threads(1).fingerprint(m);
    } catch (FormatException e) {
      if (e.getMessage().indexOf('\n') >= 0) {
        throw new AssertionError("multi-line message: " + e.getMessage(), e);
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  void h5(byte[] data) throws ModelsealException {
    run("model.h5", data, KerasH5Reader::open);
  }

  @FuzzTest(maxDuration = "60s")
  void keras(byte[] data) throws ModelsealException {
    run("model.keras", data, KerasZipReader::open);
  }
}
