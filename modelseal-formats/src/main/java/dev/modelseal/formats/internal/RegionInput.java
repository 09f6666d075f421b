package dev.modelseal.formats.internal;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A region {@code [start, start + length)} of a file channel as an input stream, read through a 64
 * KiB buffer, optionally checked to be strict UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF, no sequence cut by the end of the region) as it is read.
 *
 * <p>Guarantee: at most {@code length} bytes are returned, whatever the file's size; a read past
 * the end of the file before the region's end is an {@link java.io.EOFException}; with UTF-8
 * checking, the first ill-formed byte is a {@link MalformedUtf8Exception} with its offset in the
 * region, thrown before the bytes after it are returned. Memory is the buffer, whatever the length.
 */
public final class RegionInput extends InputStream {
  private static final int BUFFER = 64 * 1024;

  private final FileChannel channel;
  private final long start;
  private final long length;
  private final boolean utf8;
  private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
  private long read;
  private int need;
  private int lo = 0x80;
  private int hi = 0xBF;

  /** Ill-formed UTF-8 at {@link #offset()} of the region. */
  public static final class MalformedUtf8Exception extends CharConversionException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    MalformedUtf8Exception(long offset) {
      super("not valid UTF-8 at byte " + offset);
      this.offset = offset;
    }

    /** The offset of the first ill-formed byte in the region. */
    public long offset() {
      return offset;
    }
  }

  private RegionInput(FileChannel channel, long start, long length, boolean utf8) {
    this.channel = channel;
    this.start = start;
    this.length = length;
    this.utf8 = utf8;
    buf.limit(0);
  }

  /** The region as bytes. */
  public static RegionInput of(FileChannel channel, long start, long length) {
    return new RegionInput(channel, start, length, false);
  }

  /** The region as bytes that must be strict UTF-8. */
  public static RegionInput utf8(FileChannel channel, long start, long length) {
    return new RegionInput(channel, start, length, true);
  }

  private boolean fill() throws IOException {
    long left = length - read;
    if (left <= 0) {
      if (utf8 && need > 0) {
        throw new MalformedUtf8Exception(read);
      }
      return false;
    }
    buf.clear();
    buf.limit((int) Math.min(BUFFER, left));
    while (buf.position() == 0) {
      int r = channel.read(buf, start + read);
      if (r < 0) {
        throw new java.io.EOFException("the file ends " + (length - read) + " bytes early");
      }
    }
    buf.flip();
    if (utf8) {
      check(buf.array(), buf.limit());
    }
    read += buf.limit();
    return true;
  }

  private void check(byte[] a, int n) throws MalformedUtf8Exception {
    for (int i = 0; i < n; i++) {
      int b = a[i] & 0xFF;
      if (need > 0) {
        if (b < lo || b > hi) {
          throw new MalformedUtf8Exception(read + i);
        }
        lo = 0x80;
        hi = 0xBF;
        need--;
      } else if (b >= 0x80) {
        if (b >= 0xC2 && b <= 0xDF) {
          need = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
          need = 2;
          lo = b == 0xE0 ? 0xA0 : 0x80;
          hi = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
          need = 3;
          lo = b == 0xF0 ? 0x90 : 0x80;
          hi = b == 0xF4 ? 0x8F : 0xBF;
        } else {
          throw new MalformedUtf8Exception(read + i);
        }
      }
    }
  }

  @Override
  public int read() throws IOException {
    if (!buf.hasRemaining() && !fill()) {
      return -1;
    }
    return buf.get() & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!buf.hasRemaining() && !fill()) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }
}
