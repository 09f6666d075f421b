package dev.modelseal.formats.flax;

import dev.modelseal.ModelIoException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.internal.LeInput;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A bounded msgpack token reader: {@link #header()} reads one value's header (type, and for
 * strings, binaries, extensions, arrays and maps their length or count), leaving a payload for
 * {@link #skip} or {@link #bytes}. Every length is checked against the bytes left in the input
 * before it is used; a count of array items or map entries is checked against the bytes they need
 * at least (one per item, two per entry), so a hostile count fails before anything is allocated.
 * Not thread-safe.
 */
final class MsgpackInput {
  /** The kinds of msgpack values. */
  enum Kind {
    NIL,
    BOOL,
    INT,
    FLOAT,
    STR,
    BIN,
    ARRAY,
    MAP,
    EXT
  }

  /**
   * One value's header. {@code length} is the payload byte length (str, bin, ext) or the item or
   * entry count (array, map); {@code value} is an integer's value (unsigned when {@code
   * unsigned64}, a uint64 over {@link Long#MAX_VALUE}) or a bool's 0/1; {@code extType} the
   * extension type.
   */
  record Header(Kind kind, long length, long value, boolean unsigned64, int extType) {}

  private final Path file;
  private final LeInput file0;
  private final byte[] array;
  private int arrayPos;

  private MsgpackInput(Path file, LeInput in, byte[] array) {
    this.file = file;
    this.file0 = in;
    this.array = array;
  }

  /** A reader of {@code channel} (of {@code size} bytes) from offset 0. */
  static MsgpackInput of(FileChannel channel, Path file, long size) {
    return new MsgpackInput(file, new LeInput(channel, file, size), null);
  }

  /**
   * A reader of the bytes {@code head} (a stream's head, whose payloads may go on past it), named
   * {@code file} in errors; counts and lengths are not checked against the head.
   */
  static MsgpackInput of(byte[] head, Path file) {
    return new MsgpackInput(file, null, head);
  }

  /** The offset of the next byte. */
  long position() {
    return file0 != null ? file0.position() : arrayPos;
  }

  /** The bytes left. */
  long remaining() {
    return file0 != null ? file0.remaining() : array.length - arrayPos;
  }

  private int u8(String what) throws MalformedModelException, ModelIoException {
    if (file0 != null) {
      return file0.u8(what);
    }
    if (arrayPos >= array.length) {
      throw new MalformedModelException(file, "file ends inside " + what);
    }
    return array[arrayPos++] & 0xFF;
  }

  /** A big-endian unsigned value of {@code n} (1, 2, 4 or 8) bytes. */
  private long be(int n, String what) throws MalformedModelException, ModelIoException {
    if (remaining() < n) {
      throw new MalformedModelException(
          file, "file ends inside " + what + " at offset " + position());
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | u8(what);
    }
    return v;
  }

  /** Skips {@code n} payload bytes, which must be in the input. */
  void skip(long n, String what) throws MalformedModelException, ModelIoException {
    checkLength(n, what);
    if (file0 != null) {
      file0.skip(n, what);
    } else {
      arrayPos += (int) n;
    }
  }

  /** Reads {@code n} payload bytes, at most {@code limit}. */
  byte[] bytes(long n, long limit, String what)
      throws MalformedModelException, LimitExceededException, ModelIoException {
    checkLength(n, what);
    LimitExceededException.check(file, what + " length", n, limit);
    if (file0 != null) {
      return file0.bytes(n, limit, what);
    }
    byte[] out = java.util.Arrays.copyOfRange(array, arrayPos, arrayPos + (int) n);
    arrayPos += (int) n;
    return out;
  }

  private void checkLength(long n, String what) throws MalformedModelException {
    if (n < 0 || n > remaining()) {
      throw new MalformedModelException(
          file,
          what
              + " claims "
              + Long.toUnsignedString(n)
              + " bytes at offset "
              + position()
              + ", more than the "
              + remaining()
              + " left in the file");
    }
  }

  /** Reads the next value's header; payloads of str, bin and ext are left unread. */
  Header header(String what) throws MalformedModelException, ModelIoException {
    long at = position();
    int b = u8(what);
    Header h = decode(b, what);
    long least =
        switch (h.kind()) {
          case STR, BIN, EXT -> h.length();
          case ARRAY -> h.length();
          case MAP -> 2 * h.length();
          default -> 0;
        };
    if (array == null && (least < 0 || least > remaining())) {
      throw new MalformedModelException(
          file,
          what
              + " at offset "
              + at
              + " is a msgpack "
              + h.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " of "
              + Long.toUnsignedString(h.length())
              + (h.kind() == Kind.ARRAY ? " items" : h.kind() == Kind.MAP ? " entries" : " bytes")
              + ", more than the "
              + remaining()
              + " bytes left in the file can hold");
    }
    return h;
  }

  private Header decode(int b, String what) throws MalformedModelException, ModelIoException {
    if (b <= 0x7f) {
      return new Header(Kind.INT, 0, b, false, 0);
    }
    if (b <= 0x8f) {
      return new Header(Kind.MAP, b & 0x0f, 0, false, 0);
    }
    if (b <= 0x9f) {
      return new Header(Kind.ARRAY, b & 0x0f, 0, false, 0);
    }
    if (b <= 0xbf) {
      return new Header(Kind.STR, b & 0x1f, 0, false, 0);
    }
    if (b >= 0xe0) {
      return new Header(Kind.INT, 0, (byte) b, false, 0);
    }
    return switch (b) {
      case 0xc0 -> new Header(Kind.NIL, 0, 0, false, 0);
      case 0xc2 -> new Header(Kind.BOOL, 0, 0, false, 0);
      case 0xc3 -> new Header(Kind.BOOL, 0, 1, false, 0);
      case 0xc4 -> new Header(Kind.BIN, be(1, what), 0, false, 0);
      case 0xc5 -> new Header(Kind.BIN, be(2, what), 0, false, 0);
      case 0xc6 -> new Header(Kind.BIN, be(4, what), 0, false, 0);
      case 0xc7 -> ext(be(1, what), what);
      case 0xc8 -> ext(be(2, what), what);
      case 0xc9 -> ext(be(4, what), what);
      case 0xca -> floating(4, what);
      case 0xcb -> floating(8, what);
      case 0xcc -> new Header(Kind.INT, 0, be(1, what), false, 0);
      case 0xcd -> new Header(Kind.INT, 0, be(2, what), false, 0);
      case 0xce -> new Header(Kind.INT, 0, be(4, what), false, 0);
      case 0xcf -> {
        long v = be(8, what);
        yield new Header(Kind.INT, 0, v, v < 0, 0);
      }
      case 0xd0 -> new Header(Kind.INT, 0, (byte) be(1, what), false, 0);
      case 0xd1 -> new Header(Kind.INT, 0, (short) be(2, what), false, 0);
      case 0xd2 -> new Header(Kind.INT, 0, (int) be(4, what), false, 0);
      case 0xd3 -> new Header(Kind.INT, 0, be(8, what), false, 0);
      case 0xd4 -> ext(1, what);
      case 0xd5 -> ext(2, what);
      case 0xd6 -> ext(4, what);
      case 0xd7 -> ext(8, what);
      case 0xd8 -> ext(16, what);
      case 0xd9 -> new Header(Kind.STR, be(1, what), 0, false, 0);
      case 0xda -> new Header(Kind.STR, be(2, what), 0, false, 0);
      case 0xdb -> new Header(Kind.STR, be(4, what), 0, false, 0);
      case 0xdc -> new Header(Kind.ARRAY, be(2, what), 0, false, 0);
      case 0xdd -> new Header(Kind.ARRAY, be(4, what), 0, false, 0);
      case 0xde -> new Header(Kind.MAP, be(2, what), 0, false, 0);
      case 0xdf -> new Header(Kind.MAP, be(4, what), 0, false, 0);
      default ->
          throw new MalformedModelException(
              file, what + " at offset " + (position() - 1) + " has the unused msgpack byte 0xc1");
    };
  }

  private Header ext(long length, String what) throws MalformedModelException, ModelIoException {
    int type = (byte) be(1, what);
    return new Header(Kind.EXT, length, 0, false, type);
  }

  private Header floating(int n, String what) throws MalformedModelException, ModelIoException {
    skip(n, what);
    return new Header(Kind.FLOAT, 0, 0, false, 0);
  }
}
