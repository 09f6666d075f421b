package dev.modelseal.digest;

import java.nio.ByteBuffer;

/**
 * An incremental hash computation for one resource. Not thread-safe; one instance per resource.
 * Implementations wrap vetted primitives only (the JDK's {@code MessageDigest}, Bouncy Castle's
 * BLAKE2b).
 */
public interface Hasher {
  /** Feeds {@code len} bytes of {@code buf} starting at {@code off}. */
  void update(byte[] buf, int off, int len);

  /**
   * Feeds the remaining bytes of {@code data} and advances its position to its limit. Hashing from
   * a direct buffer saves the copy into the Java heap that reading into an array costs.
   */
  default void update(ByteBuffer data) {
    byte[] chunk = new byte[(int) Math.min(data.remaining(), 64 * 1024)];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      data.get(chunk, 0, n);
      update(chunk, 0, n);
    }
  }

  /** Finishes and returns the digest; the hasher must not be used afterwards. */
  byte[] finish();
}
