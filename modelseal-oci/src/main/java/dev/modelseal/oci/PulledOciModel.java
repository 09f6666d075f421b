package dev.modelseal.oci;

import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.Manifest;
import java.nio.file.Path;

/**
 * A model published by {@link OciModelSource#pull}: where, the verified manifest of its files, the
 * blob bytes transferred and the manifest digest it was pulled from.
 */
public record PulledOciModel(Path directory, Manifest manifest, long bytes, String manifestDigest) {
  /** The OMS root digest of what was published. */
  public Digest rootDigest() {
    return manifest.root();
  }
}
