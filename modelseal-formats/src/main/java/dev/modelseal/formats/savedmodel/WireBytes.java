package dev.modelseal.formats.savedmodel;

import dev.modelseal.formats.MalformedModelException;
import java.nio.file.Path;

/**
 * A protobuf wire-format cursor over a small message held in memory (a table value). Every length
 * is checked against the end of the enclosing message. Not thread-safe.
 */
final class WireBytes {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final byte[] b;
  private final Path file;
  private final String what;
  int pos;

  WireBytes(byte[] b, Path file, String what) {
    this.b = b;
    this.file = file;
    this.what = what;
  }

  long varint(int end) throws MalformedModelException {
    long v = 0;
    for (int i = 0; i < 10; i++) {
      if (pos >= end) {
        throw malformed("a varint runs past its message");
      }
      int x = b[pos++] & 0xFF;
      if (i == 9 && x > 1) {
        throw malformed("a varint is longer than 64 bits");
      }
      v |= (long) (x & 0x7F) << (7 * i);
      if (x < 0x80) {
        return v;
      }
    }
    throw malformed("a varint is longer than 10 bytes");
  }

  int fixed32(int end) throws MalformedModelException {
    if (end - pos < 4) {
      throw malformed("a 32-bit value runs past its message");
    }
    int v =
        (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | b[pos + 3] << 24;
    pos += 4;
    return v;
  }

  /** Reads a length prefix; returns the end of the payload, checked to lie before {@code end}. */
  int lengthDelimited(int end) throws MalformedModelException {
    long len = varint(end);
    if (len < 0 || len > end - pos) {
      throw malformed("a field claims " + Long.toUnsignedString(len) + " bytes, past its message");
    }
    return pos + (int) len;
  }

  /** A tag: field number 1..2^29-1 and wire type. */
  long tag(int end) throws MalformedModelException {
    long t = varint(end);
    if ((t >>> 3) == 0 || (t >>> 3) > 0x1FFF_FFFFL) {
      throw malformed("invalid field number " + Long.toUnsignedString(t >>> 3));
    }
    return t;
  }

  void skip(int wire, int end) throws MalformedModelException {
    switch (wire) {
      case VARINT -> varint(end);
      case FIXED64 -> {
        if (end - pos < 8) {
          throw malformed("a 64-bit value runs past its message");
        }
        pos += 8;
      }
      case LEN -> pos = lengthDelimited(end);
      case FIXED32 -> fixed32(end);
      default -> throw malformed("wire type " + wire + " is not allowed");
    }
  }

  /** Throws unless {@code wire} is {@code expected} for field {@code field}. */
  void expect(int wire, int expected, String field) throws MalformedModelException {
    if (wire != expected) {
      throw malformed(field + " has wire type " + wire + ", expected " + expected);
    }
  }

  MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, what + ": " + reason);
  }
}
