package dev.modelseal.formats.internal;

import dev.modelseal.ModelIoException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A sequential little-endian reader over a file for headers: every read is checked against the
 * bytes left in the file before anything is allocated, so a hostile length fails with a clear error
 * instead of an allocation.
 */
public final class LeInput {
  private final FileChannel channel;
  private final Path file;
  private final long size;
  private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
  private long bufStart;

  /** A reader of {@code channel} (of {@code size} bytes) from offset 0. */
  public LeInput(FileChannel channel, Path file, long size) {
    this.channel = channel;
    this.file = file;
    this.size = size;
    buf.limit(0);
  }

  /** The current offset in the file. */
  public long position() {
    return bufStart + buf.position();
  }

  /** Bytes left in the file. */
  public long remaining() {
    return size - position();
  }

  /** The file size. */
  public long size() {
    return size;
  }

  private void need(int n, String what) throws MalformedModelException, ModelIoException {
    if (remaining() < n) {
      throw new MalformedModelException(
          file, "file ends inside " + what + " at offset " + position());
    }
    if (buf.remaining() >= n) {
      return;
    }
    long pos = position();
    buf.compact();
    bufStart = pos;
    try {
      while (buf.position() < n) {
        if (channel.read(buf, bufStart + buf.position()) < 0) {
          throw new MalformedModelException(file, "file ends inside " + what);
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    buf.flip();
  }

  /** An unsigned byte. */
  public int u8(String what) throws MalformedModelException, ModelIoException {
    need(1, what);
    return buf.get() & 0xFF;
  }

  /** A little-endian u16. */
  public int u16(String what) throws MalformedModelException, ModelIoException {
    need(2, what);
    return buf.getShort() & 0xFFFF;
  }

  /** A little-endian u32 as a long. */
  public long u32(String what) throws MalformedModelException, ModelIoException {
    need(4, what);
    return buf.getInt() & 0xFFFFFFFFL;
  }

  /** A little-endian 64-bit value (unsigned meaning is the caller's). */
  public long u64(String what) throws MalformedModelException, ModelIoException {
    need(8, what);
    return buf.getLong();
  }

  /** {@code n} bytes; {@code n} is checked against the file and {@code limit} first. */
  public byte[] bytes(long n, long limit, String what)
      throws MalformedModelException, LimitExceededException, ModelIoException {
    if (Long.compareUnsigned(n, remaining()) > 0) {
      throw new MalformedModelException(
          file,
          what
              + " claims "
              + Long.toUnsignedString(n)
              + " bytes, more than the "
              + remaining()
              + " left in the file");
    }
    LimitExceededException.check(file, what + " length", n, limit);
    byte[] out = new byte[(int) n];
    int off = 0;
    while (off < out.length) {
      int k = Math.min(out.length - off, buf.capacity());
      need(k, what);
      buf.get(out, off, k);
      off += k;
    }
    return out;
  }

  /** Skips {@code n} bytes, which must be in the file. */
  public void skip(long n, String what) throws MalformedModelException, ModelIoException {
    if (n > remaining()) {
      throw new MalformedModelException(file, "file ends inside " + what);
    }
    long target = position() + n;
    if (target <= bufStart + buf.limit()) {
      buf.position((int) (target - bufStart));
    } else {
      bufStart = target;
      buf.clear().limit(0);
    }
  }
}
