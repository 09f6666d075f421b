package dev.modelseal.formats.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The byte stream a {@link PickleDecoder} reads: it counts its position (for opcode offsets), reads
 * bounded lines and skips large payloads without holding them, and serves every read the way the
 * modelled CPython loader does around {@code FRAME} boundaries ({@link PickleFrame}).
 *
 * <p>Two ways to wrap a stream: {@link #PickleInput(InputStream, PickleFrame.Loader)} reads ahead
 * in 8 KiB blocks (the stream belongs to this input); {@link #exact(InputStream, long)} never reads
 * a byte beyond the ones consumed and at most {@code length} bytes, so that the caller can go on
 * reading the stream after a pickle's {@code STOP}. Not thread-safe.
 */
public final class PickleInput {
  private final InputStream in;
  private final byte[] buf = new byte[8192];
  private final boolean exact;
  private final long length;
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
    this(in, loader, false, Long.MAX_VALUE);
  }

  private PickleInput(InputStream in, PickleFrame.Loader loader, boolean exact, long length) {
    this.in = in;
    this.frame = new PickleFrame(loader);
    this.exact = exact;
    this.length = length;
  }

  /**
   * Wraps the next {@code length} bytes of {@code in} (read as {@code pickle.loads} reads bytes),
   * reading none ahead of what is consumed.
   */
  public static PickleInput exact(InputStream in, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length");
    }
    return new PickleInput(in, PickleFrame.Loader.IN_MEMORY, true, length);
  }

  /** True once a read crossed the end of a frame, where CPython's loaders read differently. */
  public boolean frameCrossed() {
    return frame.crossed();
  }

  /** The bytes left in the current frame (0 outside a frame). */
  public long frameLeft() {
    return frame.left(offset());
  }

  /** The bytes left before the length given to {@link #exact} ({@code Long.MAX_VALUE} if none). */
  public long left() {
    return length == Long.MAX_VALUE ? Long.MAX_VALUE : length - offset();
  }

  /** Where a read of {@code n} bytes starts: skips the rest of a frame the loader drops. */
  private void align(long n) throws IOException {
    long start = frame.read(offset(), n);
    if (start > offset()) {
      skipRaw(start - offset());
    }
  }

  /** A {@code FRAME} of {@code length} bytes whose length field was just read. */
  void frame(long frameLength) throws IOException {
    long start = frame.frame(offset(), frameLength);
    if (start > offset()) {
      skipRaw(start - offset());
    }
  }

  /** The offset of the next byte. */
  public long offset() {
    return base + pos;
  }

  /** Makes at least one byte available; {@code want} is how many the caller will consume. */
  private boolean fill(long want) throws IOException {
    if (pos < lim) {
      return true;
    }
    base += lim;
    pos = 0;
    lim = 0;
    long room = length - base;
    if (room <= 0) {
      return false;
    }
    int n = (int) Math.min(buf.length, exact ? Math.min(Math.max(want, 1), room) : room);
    n = in.read(buf, 0, n);
    if (n <= 0) {
      return false;
    }
    lim = n;
    return true;
  }

  /** The next byte (0..255), or -1 at the end of the stream. */
  public int peek() throws IOException {
    return fill(1) ? buf[pos] & 0xFF : -1;
  }

  /** The next byte (0..255), or -1 at the end of the stream. */
  public int read() throws IOException {
    align(1);
    return fill(1) ? buf[pos++] & 0xFF : -1;
  }

  /** The next byte (0..255); the end of the stream is an {@link EOFException}. */
  public int readByte() throws IOException {
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
      v |= ((long) rawByte(n - i)) << (8 * i);
    }
    return v;
  }

  /** The next {@code n} bytes (the caller bounds {@code n}). */
  byte[] readBytes(int n) throws IOException {
    align(n);
    byte[] out = new byte[n];
    int k = 0;
    while (k < n) {
      if (!fill(n - k)) {
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

  private int rawByte(long want) throws IOException {
    if (!fill(want)) {
      throw new EOFException("pickle ends inside an opcode");
    }
    return buf[pos++] & 0xFF;
  }

  private void skipRaw(long n) throws IOException {
    long left = n;
    int buffered = (int) Math.min(left, lim - pos);
    pos += buffered;
    left -= buffered;
    if (left > length - offset()) {
      // Never skip past the end of an exact input: the caller reads on from there.
      long room = length - offset();
      skipStream(room);
      throw new EOFException("pickle ends inside an opcode");
    }
    skipStream(left);
  }

  private void skipStream(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long k = in.skip(left);
      if (k > 0) {
        base += k;
        left -= k;
        continue;
      }
      if (!fill(left)) {
        throw new EOFException("pickle ends inside an opcode");
      }
      int c = (int) Math.min(left, lim - pos);
      pos += c;
      left -= c;
    }
  }

  /**
   * A line without its {@code \n}; a line longer than {@code max} bytes is read to its end and
   * returned as null.
   */
  byte[] readLine(int max) throws IOException {
    java.io.ByteArrayOutputStream sb = new java.io.ByteArrayOutputStream();
    boolean tooLong = false;
    long start = offset();
    while (true) {
      if (frame.dropsLine(start, offset())) {
        sb.reset();
        tooLong = false;
      }
      int b = rawByte(1);
      if (b == '\n') {
        return tooLong ? null : sb.toByteArray();
      }
      if (sb.size() >= max) {
        tooLong = true;
      } else {
        sb.write(b);
      }
    }
  }
}
