package dev.modelseal.scan.pickle;

import dev.modelseal.formats.pickle.PickleFrame;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A pickle byte stream that counts its position (for opcode offsets), reads bounded lines and skips
 * large payloads without holding them, and serves every read the way the modelled CPython loader
 * does around {@code FRAME} boundaries ({@link PickleFrame}). Not thread-safe.
 */
public final class PickleInput {
  private final InputStream in;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int lim;
  private long base;
  private final PickleFrame frame;

  /**
   * Wraps {@code in}, which starts at offset 0 (the caller buffers nothing ahead of it), read as
   * {@code pickle.loads} reads bytes.
   */
  public PickleInput(InputStream in) {
    this(in, PickleFrame.Loader.IN_MEMORY);
  }

  /** Wraps {@code in}, read as {@code loader} reads it around frame boundaries. */
  public PickleInput(InputStream in, PickleFrame.Loader loader) {
    this.in = in;
    this.frame = new PickleFrame(loader);
  }

  /** True once a read crossed the end of a frame, where CPython's loaders read differently. */
  public boolean frameCrossed() {
    return frame.crossed();
  }

  /** The bytes left in the current frame (0 outside a frame). */
  long frameLeft() {
    return frame.left(offset());
  }

  /** Where a read of {@code n} bytes starts: skips the rest of a frame the loader drops. */
  private void align(long n) throws IOException {
    long start = frame.read(offset(), n);
    if (start > offset()) {
      skipRaw(start - offset());
    }
  }

  /** A {@code FRAME} of {@code length} bytes whose length field was just read. */
  void frame(long length) throws IOException {
    long start = frame.frame(offset(), length);
    if (start > offset()) {
      skipRaw(start - offset());
    }
  }

  /** The offset of the next byte. */
  public long offset() {
    return base + pos;
  }

  private boolean fill() throws IOException {
    if (pos < lim) {
      return true;
    }
    base += lim;
    pos = 0;
    lim = 0;
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    lim = n;
    return true;
  }

  /** The next byte (0..255), or -1 at the end of the stream. */
  public int peek() throws IOException {
    return fill() ? buf[pos] & 0xFF : -1;
  }

  /** The byte after the next one, or -1 when there is none in the current buffer or stream. */
  int peekSecond() throws IOException {
    if (!fill()) {
      return -1;
    }
    if (pos + 1 < lim) {
      return buf[pos + 1] & 0xFF;
    }
    return -2;
  }

  /** The next byte (0..255), or -1 at the end of the stream. */
  public int read() throws IOException {
    align(1);
    return fill() ? buf[pos++] & 0xFF : -1;
  }

  int readByte() throws IOException {
    int b = read();
    if (b < 0) {
      throw new EOFException("pickle ends inside an opcode");
    }
    return b;
  }

  /** Little-endian unsigned integer of {@code n} bytes (n at most 8). */
  long readLe(int n) throws IOException {
    align(n);
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= ((long) rawByte()) << (8 * i);
    }
    return v;
  }

  /** The next {@code n} bytes (the caller bounds {@code n}). */
  public byte[] readBytes(int n) throws IOException {
    align(n);
    byte[] out = new byte[n];
    int k = 0;
    while (k < n) {
      if (!fill()) {
        throw new EOFException("pickle ends inside an opcode");
      }
      int c = Math.min(n - k, lim - pos);
      System.arraycopy(buf, pos, out, k, c);
      pos += c;
      k += c;
    }
    return out;
  }

  /** Skips {@code n} bytes (unsigned), failing at the end of the stream; seeks when it can. */
  public void skip(long n) throws IOException {
    if (n < 0) {
      throw new EOFException("pickle length field is larger than any stream");
    }
    align(n);
    skipRaw(n);
  }

  private int rawByte() throws IOException {
    if (!fill()) {
      throw new EOFException("pickle ends inside an opcode");
    }
    return buf[pos++] & 0xFF;
  }

  private void skipRaw(long n) throws IOException {
    long left = n;
    int buffered = Math.min((int) Math.min(left, Integer.MAX_VALUE), lim - pos);
    pos += buffered;
    left -= buffered;
    while (left > 0) {
      long k = in.skip(left);
      if (k > 0) {
        base += k;
        left -= k;
        continue;
      }
      if (!fill()) {
        throw new EOFException("pickle ends inside an opcode");
      }
      int c = (int) Math.min(left, lim - pos);
      pos += c;
      left -= c;
    }
  }

  /**
   * A line without its {@code \n}, as Latin-1 text; a line longer than {@code max} bytes is read to
   * its end and returned as null.
   */
  String readLine(int max) throws IOException {
    StringBuilder sb = new StringBuilder();
    boolean tooLong = false;
    long start = offset();
    while (true) {
      if (frame.dropsLine(start, offset())) {
        sb.setLength(0);
        tooLong = false;
      }
      int b = rawByte();
      if (b == '\n') {
        return tooLong ? null : sb.toString();
      }
      if (sb.length() >= max) {
        tooLong = true;
      } else {
        sb.append((char) b);
      }
    }
  }
}
