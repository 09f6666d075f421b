package dev.modelseal.formats.keras;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.FuzzChecks;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * Jazzer harnesses for the Keras readers: any input either opens and fingerprints or fails with the
 * {@link FormatException} family, whatever jhdf throws inside; any other exception is a finding.
 * Without {@code JAZZER_FUZZ} they run over the seeds in {@code KerasFuzzTestInputs/}.
 */
class KerasFuzzTest {
  private static final ReadLimits LIMITS =
      ReadLimits.defaults().withInMemoryTensorBytes(1 << 20).withTensors(10_000);

  private static final Path DIR = FuzzChecks.tempDirectory("modelseal-fuzz-keras");

  private static void run(String name, byte[] data, Reader reader) throws ModelsealException {
    FuzzChecks.openAndFingerprint(DIR.resolve(name), data, f -> reader.open(f, LIMITS));
  }

  private interface Reader {
    TensorModel open(Path file, ReadLimits limits) throws ModelsealException;
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
