package dev.modelseal.oci;

import dev.modelseal.digest.Digest;
import dev.modelseal.source.RemoteResource;
import java.util.Optional;

/**
 * One layer of a model's manifest: its descriptor, the file name it carries (a checked resource
 * name; for a tar layer, the archive's name, its entries named by the archive) and its packing.
 */
record Layer(Descriptor descriptor, String name, MediaTypes.Packing packing)
    implements RemoteResource {
  @Override
  public long size() {
    return descriptor.size();
  }

  /** The layer's digest; for a raw layer also the file's SHA-256. */
  @Override
  public Optional<Digest> knownDigest() {
    return Optional.of(Digest.parse(descriptor.digest()));
  }
}
