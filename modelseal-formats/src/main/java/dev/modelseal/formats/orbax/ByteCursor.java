package dev.modelseal.formats.orbax;

import dev.modelseal.formats.MalformedModelException;
import java.nio.file.Path;

/**
 * A bounded reader over one decoded OCDBT node (or manifest): unsigned LEB128 varints, bytes and
 * little-endian integers, each read checked against the end, so a damaged length fails with the
 * field's name instead of reading past the node.
 */
final class ByteCursor {
  private final byte[] data;
  private final int end;
  private final Path file;
  private final String what;
  private int pos;

  ByteCursor(byte[] data, int start, int end, Path file, String what) {
    this.data = data;
    this.pos = start;
    this.end = end;
    this.file = file;
    this.what = what;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  int u8(String field) throws MalformedModelException {
    need(1, field);
    return data[pos++] & 0xFF;
  }

  /** An unsigned LEB128 varint that must fit in 63 bits (tensorstore's values all do). */
  long varint(String field) throws MalformedModelException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8(field);
      if (shift == 63 && (b & 0x7e) != 0) {
        throw malformed(field + " is a varint over 64 bits");
      }
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw malformed(field + " is a varint over 64 bits");
  }

  /** A varint at most {@code max} (which is at most {@link Integer#MAX_VALUE}). */
  int varint(String field, long max) throws MalformedModelException {
    long v = varint(field);
    if (v < 0 || v > max) {
      throw malformed(field + " is " + Long.toUnsignedString(v) + ", over the limit of " + max);
    }
    return (int) v;
  }

  long u64le(String field) throws MalformedModelException {
    need(8, field);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (long) (data[pos + i] & 0xFF) << (8 * i);
    }
    pos += 8;
    return v;
  }

  int i32le(String field) throws MalformedModelException {
    need(4, field);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (data[pos + i] & 0xFF) << (8 * i);
    }
    pos += 4;
    return v;
  }

  byte[] bytes(int n, String field) throws MalformedModelException {
    need(n, field);
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  void skip(int n, String field) throws MalformedModelException {
    need(n, field);
    pos += n;
  }

  MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, what + ": " + reason);
  }

  private void need(int n, String field) throws MalformedModelException {
    if (n < 0 || n > end - pos) {
      throw malformed("it ends inside " + field);
    }
  }
}
