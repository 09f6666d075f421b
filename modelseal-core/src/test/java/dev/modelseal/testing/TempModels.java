package dev.modelseal.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small model trees for tests. */
public final class TempModels {
  private TempModels() {}

  /** Writes {@code content} (UTF-8) at {@code root/name}, creating directories. */
  public static Path write(Path root, String name, String content) throws IOException {
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /** Writes {@code bytes} at {@code root/name}, creating directories. */
  public static Path write(Path root, String name, byte[] bytes) throws IOException {
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    return p;
  }

  /** Deterministic pseudo-random bytes. */
  public static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }
}
