package dev.modelseal.formats.tfjs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.FuzzChecks;
import dev.modelseal.formats.ReadLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * Jazzer harness for the TF.js {@code model.json} parser: the input is the manifest, beside the
 * shard files of the {@code quantized} and {@code common} fixtures; it either opens and
 * fingerprints or fails with the {@link FormatException} family. Without {@code JAZZER_FUZZ} it
 * runs over the seeds in {@code TfjsFuzzTestInputs/}.
 */
class TfjsFuzzTest {
  private static final ReadLimits LIMITS =
      ReadLimits.defaults().withIndexBytes(1 << 20).withTensors(10_000);

  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("modelseal-fuzz-tfjs");
      for (String d : new String[] {"quantized", "common"}) {
        try (Stream<Path> s =
            Files.list(Paths.get("src", "test", "resources", "fixtures", "tfjs", d))) {
          for (Path p : s.toList()) {
            if (p.getFileName().toString().endsWith(".bin")) {
              Files.copy(p, DIR.resolve(p.getFileName().toString()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void modelJson(byte[] data) throws ModelsealException {
    FuzzChecks.openAndFingerprint(DIR.resolve("model.json"), data, f -> TfjsReader.open(f, LIMITS));
  }
}
