package dev.modelseal.formats.keras;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The HDF5 format signature {@code \x89HDF\r\n\x1a\n}, searched where the HDF5 specification puts
 * the superblock: at offset 0, 512, 1024, 2048, ... (a user block of a power-of-two size >= 512 may
 * precede it).
 */
public final class Hdf5Signature {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** Offsets searched beyond 0 stop here (a 1 GiB user block), bounding the probe to 22 reads. */
  private static final long MAX_USER_BLOCK = 1L << 30;

  private Hdf5Signature() {}

  /** True when {@code head} (of {@code n} valid bytes) starts with the signature. */
  public static boolean startsWith(byte[] head, int n) {
    if (n < SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (head[i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /** The offset of the superblock in {@code ch} (window of {@code size} bytes), or -1. */
  public static long find(FileChannel ch, long base, long size) throws IOException {
    byte[] b = new byte[SIGNATURE.length];
    for (long off = 0; off <= MAX_USER_BLOCK && off + SIGNATURE.length <= size; ) {
      ByteBuffer buf = ByteBuffer.wrap(b);
      while (buf.hasRemaining()) {
        if (ch.read(buf, base + off + buf.position()) < 0) {
          return -1;
        }
      }
      if (startsWith(b, b.length)) {
        return off;
      }
      off = off == 0 ? 512 : off * 2;
    }
    return -1;
  }
}
