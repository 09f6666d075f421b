package dev.modelseal.formats.pickle;

/**
 * CPython's framing rules ({@code Modules/_pickle.c}), shared by every pickle reader here. A {@code
 * FRAME} opcode makes the unpickler read the next N bytes into its buffer; opcodes are then served
 * from that buffer one by one. The two ways CPython loads a pickle disagree only where an opcode's
 * argument (or a text line) crosses the end of that buffer, which no pickler writes:
 *
 * <ul>
 *   <li>{@link Loader#IN_MEMORY} ({@code pickle.loads(bytes)}): the whole pickle is the buffer, a
 *       frame is a hint and the argument simply continues after the frame's end;
 *   <li>{@link Loader#FILE} ({@code pickle.load(file)} on a file without {@code peek}, such as
 *       {@code io.BytesIO}, or a frame larger than the file's read-ahead): the rest of the buffer
 *       is dropped and the argument is read from the file after the frame's end ({@code
 *       _Unpickler_ReadFromFile} replaces the buffer); a {@code FRAME} met before the end of the
 *       buffer drops its rest the same way.
 * </ul>
 *
 * Python's own {@code pickle._Unpickler} (joblib's base class) refuses such a pickle at that point,
 * so what it runs is what both ways run before it. A reader that meets a crossing knows {@link
 * #crossed()} and can refuse the pickle or read it the other way too. Not thread-safe; one per
 * pickle stream.
 */
public final class PickleFrame {
  /** How the modelled loader reads the pickle. */
  public enum Loader {
    /** {@code pickle.loads(bytes)}: frames are hints. */
    IN_MEMORY,
    /** {@code pickle.load(file)}: a read crossing the frame buffer's end starts after it. */
    FILE
  }

  private final Loader loader;
  private long end;
  private boolean crossed;

  /** Frame state for {@code loader}, starting outside any frame. */
  public PickleFrame(Loader loader) {
    this.loader = loader;
  }

  /** The loader modelled. */
  public Loader loader() {
    return loader;
  }

  /** True once a read or a {@code FRAME} crossed the end of a frame buffer. */
  public boolean crossed() {
    return crossed;
  }

  /** The bytes of the current frame buffer left after offset {@code pos} (0 outside a frame). */
  public long left(long pos) {
    return pos < end ? end - pos : 0;
  }

  /**
   * Where a read of {@code n} bytes asked for at offset {@code pos} starts: {@code pos}, or for
   * {@link Loader#FILE} the end of the frame buffer when the read does not fit in what is left of
   * it (the bytes in between are dropped).
   */
  public long read(long pos, long n) {
    if (pos < end && n > end - pos) {
      crossed = true;
      if (loader == Loader.FILE) {
        long start = end;
        end = 0;
        return start;
      }
    }
    return pos;
  }

  /**
   * True when a text line started at {@code lineStart} reaches the end of the frame buffer at
   * {@code pos} before its newline: for {@link Loader#FILE} the line read so far is dropped and the
   * line is read again from {@code pos} ({@code readline()} on the file).
   */
  public boolean dropsLine(long lineStart, long pos) {
    if (lineStart < end && pos == end) {
      crossed = true;
      end = 0;
      return loader == Loader.FILE;
    }
    return false;
  }

  /**
   * A {@code FRAME} of {@code length} bytes whose length field ends at {@code pos}; returns where
   * the frame's bytes start ({@code pos}, or for {@link Loader#FILE} the end of a frame buffer not
   * yet used up, whose rest is dropped).
   */
  public long frame(long pos, long length) {
    long start = pos;
    if (pos < end && (length < 0 || length > end - pos)) {
      crossed = true;
      if (loader == Loader.FILE) {
        start = end;
      }
    } else if (pos < end) {
      return pos; // the frame lies inside the current buffer: CPython reads nothing new
    }
    end = length < 0 || start > Long.MAX_VALUE - length ? Long.MAX_VALUE : start + length;
    return start;
  }
}
