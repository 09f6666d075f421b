package dev.modelseal.pin;

import dev.modelseal.IntegrityException;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.manifest.PinDigest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model is not the pinned one (its pin, or root digest, differs). When the pin carried per-file
 * digests (a lock file, a signature), {@link #comparison()} names each modified, missing and extra
 * file.
 */
public final class ModelMismatchException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String actual;
  private final transient ManifestComparison comparison;

  private ModelMismatchException(
      Path model, String expected, String actual, String detail, ManifestComparison comparison) {
    super(model, message(expected, actual, detail));
    this.expected = expected;
    this.actual = actual;
    this.comparison = comparison;
  }

  static ModelMismatchException ofManifest(
      Path model, Digest expected, Digest actual, ManifestComparison c) {
    return new ModelMismatchException(
        model, expected.toString(), actual.toString(), c == null ? null : c.summary(), c);
  }

  static ModelMismatchException ofPin(Path model, PinDigest expected, PinDigest actual) {
    return new ModelMismatchException(
        model,
        expected.toString(),
        actual.toString(),
        "a file name, size or digest differs, or the hash options (--hash, --shard-size,"
            + " --ignore) are not those the pin was made with",
        null);
  }

  private static String message(String expected, String actual, String detail) {
    String base = "model does not match its pin (expected " + expected + ", got " + actual + ")";
    return detail == null ? base : base + ": " + detail;
  }

  /** What was pinned: {@code pin:v1:sha256:...}, or the root digest {@code sha256:...}. */
  public String expected() {
    return expected;
  }

  /** The same value computed from the model as read. */
  public String actual() {
    return actual;
  }

  /** Per-file differences, when the pin had per-file digests. */
  public Optional<ManifestComparison> comparison() {
    return Optional.ofNullable(comparison);
  }
}
