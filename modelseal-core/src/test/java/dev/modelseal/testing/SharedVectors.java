package dev.modelseal.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only shared vectors: system property {@code modelseal.shared} (set by surefire),
 * else {@code ../shared}. Tests skip when they are absent, unless {@code
 * -Dmodelseal.requireShared=true} (as CI sets it): then they fail.
 */
public final class SharedVectors {
  private SharedVectors() {}

  /** The shared directory, or the test is skipped (or failed, when required). */
  public static Path root() {
    String p = System.getProperty("modelseal.shared");
    Path dir = Path.of(p != null && !p.isBlank() ? p : "../shared").toAbsolutePath().normalize();
    if (!Files.isDirectory(dir.resolve("vectors"))) {
      if (Boolean.getBoolean("modelseal.requireShared")) {
        fail("shared vectors required but not found at " + dir);
      }
      Assumptions.abort("shared vectors not found at " + dir);
    }
    return dir;
  }

  /** A path below the shared directory. */
  public static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /** {@code vectors/oms/model-transparency-1.1.1}. */
  public static Path modelTransparency() {
    return resolve("vectors/oms/model-transparency-1.1.1");
  }

  /** {@code vectors/oms/oms-spec-v1.0}. */
  public static Path omsSpec() {
    return resolve("vectors/oms/oms-spec-v1.0");
  }
}
