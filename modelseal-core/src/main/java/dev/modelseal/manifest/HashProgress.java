package dev.modelseal.manifest;

/**
 * Observes hashing: told the total once, then each chunk as it is hashed (from several threads at
 * once). For progress bars; must be cheap and must not throw.
 */
public interface HashProgress {
  /** Does nothing. */
  HashProgress NONE = n -> {};

  /** Hashing starts; {@code totalBytes} will be hashed. */
  default void start(long totalBytes) {}

  /** {@code bytes} more were hashed. */
  void advance(long bytes);

  /** Hashing ended, successfully or not. */
  default void finish() {}
}
