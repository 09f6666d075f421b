package dev.modelseal.pin;

import dev.modelseal.IntegrityException;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.ManifestComparison;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model's digest is not the pinned one. When the pin carried per-file digests (a lock file, a
 * signature), {@link #comparison()} names each modified, missing and extra file.
 */
public final class ModelMismatchException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  private final transient Digest expected;
  private final transient Digest actual;
  private final transient ManifestComparison comparison;

  ModelMismatchException(
      Path model, Digest expected, Digest actual, ManifestComparison comparison) {
    super(model, message(expected, actual, comparison));
    this.expected = expected;
    this.actual = actual;
    this.comparison = comparison;
  }

  private static String message(Digest expected, Digest actual, ManifestComparison c) {
    String base = "model does not match its pin (expected " + expected + ", got " + actual + ")";
    return c == null ? base : base + ": " + c.summary();
  }

  /** The pinned root digest. */
  public Digest expected() {
    return expected;
  }

  /** The root digest of the model as read. */
  public Digest actual() {
    return actual;
  }

  /** Per-file differences, when the pin had per-file digests. */
  public Optional<ManifestComparison> comparison() {
    return Optional.ofNullable(comparison);
  }
}
