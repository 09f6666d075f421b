package dev.modelseal.manifest;

import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.walk.WalkOptions;
import java.util.Objects;

/**
 * How a model is turned into resources and digests: the OMS v1.0 {@code serialization} object.
 *
 * <p>{@link Method#FILES}: one resource per file. {@link Method#SHARDS}: one resource per byte
 * range of {@code shardSize} bytes, named {@code path:start:end}, which lets one large file be
 * hashed on every core.
 *
 * @param method files or shards
 * @param hash the per-resource hash
 * @param shardSize bytes per shard (only meaningful for shards; positive)
 * @param walk which files are included (ignore paths, symbolic links)
 */
public record Serialization(Method method, HashAlgorithm hash, long shardSize, WalkOptions walk) {
  /** The shard size the Python reference uses by default (10^9 bytes). */
  public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;

  /** The OMS serialization methods. */
  public enum Method {
    /** One digest per file. */
    FILES("files"),
    /** One digest per fixed-size byte range. */
    SHARDS("shards");

    private final String omsName;

    Method(String omsName) {
      this.omsName = omsName;
    }

    /** The name written in {@code serialization.method}. */
    public String omsName() {
      return omsName;
    }

    /**
     * Parses an OMS method name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Method fromOmsName(String name) {
      for (Method m : values()) {
        if (m.omsName.equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "unsupported serialization method "
              + dev.modelseal.internal.StrictJson.quoted(String.valueOf(name)));
    }
  }

  /** Validates the fields. */
  public Serialization {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(walk, "walk");
    if (shardSize <= 0) {
      throw new IllegalArgumentException("shard size must be positive");
    }
  }

  /** The default: files, SHA-256, strict walk options. */
  public static Serialization defaults() {
    return files(HashAlgorithm.SHA256, WalkOptions.defaults());
  }

  /** The files method with the given hash and walk options. */
  public static Serialization files(HashAlgorithm hash, WalkOptions walk) {
    return new Serialization(Method.FILES, hash, DEFAULT_SHARD_SIZE, walk);
  }

  /** The shards method. */
  public static Serialization shards(HashAlgorithm hash, long shardSize, WalkOptions walk) {
    return new Serialization(Method.SHARDS, hash, shardSize, walk);
  }

  /** True when hashing with {@code other} gives the same manifest as with this, for any tree. */
  public boolean hashesLike(Serialization other) {
    return other != null
        && method == other.method
        && hash == other.hash
        && (method == Method.FILES || shardSize == other.shardSize)
        && walk.selectsSameFiles(other.walk);
  }

  /** The same serialization with other walk options. */
  public Serialization withWalk(WalkOptions w) {
    return new Serialization(method, hash, shardSize, w);
  }
}
