package dev.modelseal.s3;

import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.Manifest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The result of {@link S3ModelSource#pull}: where the verified model was published and the manifest
 * of the bytes that were hashed while they streamed there. The published directory is the verified
 * copy: its files were written and hashed in the same pass, sealed read-only, and renamed into
 * place only after the manifest matched. It is not watched afterwards: whoever can write to its
 * parent directory can still change it (for an in-process handle use {@link S3ModelSource#open}).
 *
 * @param directory the published directory
 * @param manifest the verified manifest
 * @param bytes bytes downloaded
 */
public record PulledModel(Path directory, Manifest manifest, long bytes) {
  /** Validates the fields. */
  public PulledModel {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(manifest, "manifest");
  }

  /** The verified root digest. */
  public Digest rootDigest() {
    return manifest.root();
  }
}
