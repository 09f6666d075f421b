package dev.modelseal.formats.flax;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.FuzzChecks;
import dev.modelseal.formats.ReadLimits;
import java.nio.file.Path;

/**
 * The Jazzer harness of the Flax reader: any input either opens and fingerprints or fails with the
 * {@link dev.modelseal.formats.FormatException} family with a one-line message; any other exception
 * is a finding. Without {@code JAZZER_FUZZ} it runs over the seeds in {@code
 * FlaxFuzzTestInputs/msgpack/} (the generated fixtures).
 */
class FlaxFuzzTest {
  private static final ReadLimits LIMITS = ReadLimits.defaults().withTensors(10_000);

  private static final Path DIR = FuzzChecks.tempDirectory("modelseal-fuzz-flax");

  @FuzzTest(maxDuration = "60s")
  void msgpack(byte[] data) throws ModelsealException {
    FuzzChecks.openAndFingerprint(
        DIR.resolve("model.msgpack"), data, f -> FlaxReader.open(f, LIMITS));
  }
}
