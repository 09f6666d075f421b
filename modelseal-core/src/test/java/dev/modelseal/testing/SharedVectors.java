package dev.modelseal.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only shared vectors: system property {@code modelseal.shared} (set by surefire),
 * else {@code ../shared} beside the repository. Missing vectors skip the test, or fail it when
 * {@code modelseal.requireShared} is true.
 */
public final class SharedVectors {
  private SharedVectors() {}

  /** The shared directory, or a skipped/failed test when it is absent. */
  public static Path root() {
    String p = System.getProperty("modelseal.shared");
    Path dir = p != null && !p.isBlank() ? Path.of(p) : Path.of("..", "..", "shared");
    if (!Files.isDirectory(dir.resolve("vectors"))) {
      if (Boolean.getBoolean("modelseal.requireShared")) {
        fail("shared vectors not found at " + dir.toAbsolutePath() + " (modelseal.requireShared)");
      }
      assumeTrue(false, "shared vectors not found at " + dir.toAbsolutePath());
    }
    return dir;
  }

  /** {@code vectors/oms/model-transparency-1.1.1}. */
  public static Path modelTransparency() {
    return root().resolve("vectors/oms/model-transparency-1.1.1");
  }

  /** {@code vectors/oms/oms-spec-v1.0}. */
  public static Path omsSpec() {
    return root().resolve("vectors/oms/oms-spec-v1.0");
  }
}
