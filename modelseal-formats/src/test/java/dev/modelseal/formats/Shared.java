package dev.modelseal.formats;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only shared vectors ({@code ../shared}), from the system property {@code
 * modelseal.shared}. Absent vectors skip a test, unless {@code modelseal.requireShared} is true:
 * then they fail it.
 */
public final class Shared {
  private Shared() {}

  /** The path of {@code relative} under the shared directory's {@code vectors/real}. */
  public static Path real(String relative) {
    String root = System.getProperty("modelseal.shared");
    boolean required = Boolean.parseBoolean(System.getProperty("modelseal.requireShared"));
    Path p = root == null ? null : Paths.get(root, "vectors", "real", relative);
    if (p == null || !Files.exists(p)) {
      if (required) {
        fail("shared vector missing: " + (p == null ? relative : p));
      }
      Assumptions.abort("shared vector missing: " + relative);
    }
    return p;
  }

  /** A fixture committed beside generate.py. */
  public static Path fixture(String name) {
    Path p = Paths.get("src", "test", "resources", "fixtures", name);
    if (!Files.exists(p)) {
      fail("fixture missing: " + p.toAbsolutePath());
    }
    return p;
  }
}
