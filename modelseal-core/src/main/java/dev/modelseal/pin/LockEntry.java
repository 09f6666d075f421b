package dev.modelseal.pin;

import dev.modelseal.manifest.Manifest;
import java.util.Objects;

/**
 * One model in a lock file: the path it was locked from (relative to the lock file's directory when
 * it was below it, POSIX separators) and its full manifest (root, serialization, per-resource
 * digests).
 *
 * @param path where the model was when it was locked
 * @param manifest what it contained
 */
public record LockEntry(String path, Manifest manifest) {
  /** Validates the fields. */
  public LockEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(manifest, "manifest");
  }

  /** A pin that checks the root and, on mismatch, names each differing file. */
  public ModelPin pin() {
    return ModelPin.of(manifest);
  }
}
