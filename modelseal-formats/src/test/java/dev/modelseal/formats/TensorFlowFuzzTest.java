package dev.modelseal.formats;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.savedmodel.SavedModelGraph;
import dev.modelseal.formats.savedmodel.SavedModelReader;
import dev.modelseal.formats.tflite.TfliteReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer harnesses for the TensorFlow-family readers (TFLite, the SavedModel tensor bundle index
 * with its table format, the saved_model.pb node lister): any input either reads, or fails with the
 * project's {@link FormatException} family with a one-line message; anything else is a finding.
 * Without {@code JAZZER_FUZZ} they run over the committed seeds in {@code
 * TensorFlowFuzzTestInputs/<method>/}.
 */
class TensorFlowFuzzTest {
  private static final ReadLimits LIMITS =
      ReadLimits.defaults().withInMemoryTensorBytes(1 << 20).withTensors(10_000);

  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("modelseal-tf-fuzz");
      Files.createDirectories(DIR.resolve("sm/variables"));
      // A fixed data shard, so that entries can point inside it and have their CRC32C checked.
      byte[] shard = new byte[256];
      for (int i = 0; i < shard.length; i++) {
        shard[i] = (byte) i;
      }
      Files.write(DIR.resolve("sm/variables/variables.data-00000-of-00001"), shard);
      Files.write(DIR.resolve("sm/saved_model.pb"), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void tflite(byte[] data) throws ModelsealException {
    FuzzChecks.openAndFingerprint(
        DIR.resolve("model.tflite"), data, f -> TfliteReader.open(f, LIMITS));
  }

  @FuzzTest(maxDuration = "60s")
  void savedModelIndex(byte[] data) throws ModelsealException {
    Path sm = DIR.resolve("sm");
    FuzzChecks.write(sm.resolve(SavedModelReader.INDEX), data);
    try (TensorModel m = SavedModelReader.open(sm, LIMITS)) {
      FuzzChecks.fingerprint(m);
    } catch (FormatException e) {
      FuzzChecks.requireOneLine(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void savedModelGraph(byte[] data) throws ModelsealException {
    Path p = DIR.resolve("saved_model.pb");
    FuzzChecks.write(p, data);
    try {
      SavedModelGraph.read(p, 10_000);
    } catch (FormatException e) {
      FuzzChecks.requireOneLine(e);
    }
  }
}
