package dev.modelseal.manifest;

import dev.modelseal.digest.Digest;
import java.util.Objects;

/**
 * One entry of a manifest: a resource name (a file, or {@code path:start:end} for a shard), its
 * digest and its size in bytes.
 *
 * @param name the resource name
 * @param digest the digest, of the serialization's hash algorithm
 * @param size the number of bytes hashed, or -1 when the source (a signature) did not say
 */
public record ResourceDigest(String name, Digest digest, long size) {
  /** Validates the fields. */
  public ResourceDigest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
  }
}
