package dev.modelseal.manifest;

import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The digests of a model's resources and the root digest over them, as OMS v1.0 defines it: the
 * root is SHA-256 over the concatenated raw digest bytes of the resources in the listed order,
 * whatever the per-resource hash is.
 *
 * <p>Immutable. A manifest built by {@link ModelHasher} describes bytes that were read; one built
 * by {@link #of} describes whatever its source (a lock file, a signature) claimed.
 *
 * @param modelName the model's name (directory name or file name)
 * @param serialization how the resources were formed and hashed
 * @param resources the resources, in manifest order
 * @param root the root digest over {@code resources}
 */
public record Manifest(
    String modelName, Serialization serialization, List<ResourceDigest> resources, Digest root) {

  /** Validates and copies. */
  public Manifest {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(serialization, "serialization");
    resources = List.copyOf(resources);
    Objects.requireNonNull(root, "root");
  }

  /** Builds a manifest, computing the root from {@code resources}. */
  public static Manifest of(
      String modelName, Serialization serialization, List<ResourceDigest> resources) {
    return new Manifest(modelName, serialization, resources, rootOf(resources));
  }

  /** The OMS root digest: SHA-256 over the concatenated resource digests, in order. */
  public static Digest rootOf(List<ResourceDigest> resources) {
    MessageDigest md = HashAlgorithm.sha256();
    for (ResourceDigest r : resources) {
      md.update(r.digest().bytes());
    }
    return Digest.sha256(md.digest());
  }

  /**
   * The pin of this manifest, which binds names, sizes and digests (see {@link PinDigest}).
   *
   * @throws IllegalArgumentException when a resource's size is unknown
   */
  public PinDigest pin() {
    return PinDigest.of(this);
  }

  /** The resources by name, in manifest order. */
  public Map<String, ResourceDigest> byName() {
    Map<String, ResourceDigest> m = new LinkedHashMap<>();
    for (ResourceDigest r : resources) {
      m.put(r.name(), r);
    }
    return m;
  }

  /** Total bytes hashed (sum of the known resource sizes). */
  public long totalSize() {
    long t = 0;
    for (ResourceDigest r : resources) {
      t += Math.max(0, r.size());
    }
    return t;
  }
}
