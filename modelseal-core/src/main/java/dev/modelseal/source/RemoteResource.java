package dev.modelseal.source;

import dev.modelseal.digest.Digest;
import java.util.Optional;

/**
 * One resource a {@link StreamedModelSource} lists: its resource name (already checked to be a safe
 * relative path), its size, and a digest the store already knows (an OCI layer's digest), which the
 * source may check while streaming. Unverified until hashed.
 */
public interface RemoteResource {
  /** The resource name (relative POSIX path). */
  String name();

  /** The size the store reports, in bytes. */
  long size();

  /** A digest of the content the store states, when it states one. */
  default Optional<Digest> knownDigest() {
    return Optional.empty();
  }
}
