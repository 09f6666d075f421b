package dev.modelseal.internal;

import java.nio.ByteBuffer;

/**
 * Direct buffers for reading files: page-aligned, because the kernel copies out of the page cache
 * into a page-aligned buffer several times faster than into one that is not (measured on the
 * benchmark machine: 2 GiB read in 256 KiB reads cost 0.19-0.37 s of system time aligned, 0.9-2.9 s
 * not; see benchmarks/README.md).
 */
public final class DirectBuffers {
  /** The alignment: the page size of the platforms modelseal runs on. */
  public static final int PAGE = 4096;

  private DirectBuffers() {}

  /** A direct buffer of exactly {@code size} bytes whose first byte is page-aligned. */
  public static ByteBuffer pageAligned(int size) {
    return ByteBuffer.allocateDirect(size + PAGE).alignedSlice(PAGE).limit(size).slice();
  }
}
