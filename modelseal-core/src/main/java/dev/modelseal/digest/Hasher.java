package dev.modelseal.digest;

/**
 * An incremental hash computation for one resource. Not thread-safe; one instance per resource.
 * Implementations wrap vetted primitives only (the JDK's {@code MessageDigest}, Bouncy Castle's
 * BLAKE2b).
 */
public interface Hasher {
  /** Feeds {@code len} bytes of {@code buf} starting at {@code off}. */
  void update(byte[] buf, int off, int len);

  /** Finishes and returns the digest; the hasher must not be used afterwards. */
  byte[] finish();
}
