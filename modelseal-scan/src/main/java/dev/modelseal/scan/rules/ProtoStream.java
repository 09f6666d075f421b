package dev.modelseal.scan.rules;

import dev.modelseal.scan.pickle.PickleInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A forward-only protobuf wire reader over a stream: varints, tags, bounded strings, and skipping
 * of fields not needed (tensor data is skipped, never held). Positions let nested messages be
 * walked as {@code [offset, end)} regions.
 */
final class ProtoStream {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final PickleInput in;

  ProtoStream(InputStream in) {
    this.in = new PickleInput(in);
  }

  long offset() {
    return in.offset();
  }

  long varint() throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("protobuf ends inside a varint");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("protobuf varint longer than 10 bytes");
  }

  /** The length of a LEN field, checked against the end of its enclosing message. */
  long length(long end) throws IOException {
    long n = varint();
    if (n < 0 || offset() + n > end) {
      throw new IOException("protobuf field length " + n + " runs past its message");
    }
    return n;
  }

  /** Reads a LEN field's length and returns the offset where the field ends. */
  long region(long end) throws IOException {
    long n = length(end);
    return offset() + n;
  }

  String string(long end, int max) throws IOException {
    long n = length(end);
    if (n > max) {
      skipBytes(n);
      return null;
    }
    return new String(in.readBytes((int) n), StandardCharsets.UTF_8);
  }

  void skip(int wireType, long end) throws IOException {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> skipBytes(8);
      case FIXED32 -> skipBytes(4);
      case LEN -> skipBytes(length(end));
      default -> throw new IOException("protobuf wire type " + wireType + " is not supported");
    }
  }

  void skipTo(long target) throws IOException {
    skipBytes(target - offset());
  }

  private void skipBytes(long n) throws IOException {
    in.skip(n);
  }
}
