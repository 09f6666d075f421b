package dev.modelseal.walk;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One regular file of a model: its resource name (a relative POSIX path, UTF-8, as recorded in a
 * manifest), where it is on disk, and its size when the tree was walked.
 *
 * <p>For a file reached through an allowed symbolic link, {@link #path()} is the link and reading
 * it reads the target; the target was checked to lie inside the model root.
 *
 * @param name the resource name, validated by {@link ResourceNames#check(String)}
 * @param path the file on disk
 * @param size the size in bytes at walk time
 */
public record ModelFile(String name, Path path, long size) {
  /** Validates the fields. */
  public ModelFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }
}
