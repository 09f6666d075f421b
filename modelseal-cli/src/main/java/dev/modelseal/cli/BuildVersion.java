package dev.modelseal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The version of this build: the jar manifest's {@code Implementation-Version}, else the version
 * Maven wrote into {@code version.txt} beside the classes (a run from the build directory). Empty
 * only when neither is there.
 */
final class BuildVersion {
  private BuildVersion() {}

  static Optional<String> get() {
    String v = Main.class.getPackage().getImplementationVersion();
    if (v != null && !v.isBlank()) {
      return Optional.of(v);
    }
    try (InputStream in = BuildVersion.class.getResourceAsStream("version.txt")) {
      if (in == null) {
        return Optional.empty();
      }
      String s = new String(in.readNBytes(200), StandardCharsets.UTF_8).strip();
      return s.isEmpty() || s.startsWith("${") ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
