package dev.modelseal.scan.rules;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.internal.ProtoInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The scan rules' view of the one protobuf wire reader ({@link ProtoInput}, forward-only over a
 * stream): varints, tags, bounded strings, and skipping of fields not needed (tensor data is
 * skipped in the stream, never held), with the reader's errors as {@link IOException}s. Positions
 * let nested messages be walked as {@code [offset, end)} regions.
 */
final class ProtoStream {
  static final int VARINT = ProtoInput.VARINT;
  static final int FIXED64 = ProtoInput.FIXED64;
  static final int LEN = ProtoInput.LEN;
  static final int FIXED32 = ProtoInput.FIXED32;

  private static final Path STREAM = Path.of("protobuf stream");
  private static final String WHAT = "the message";

  private final ProtoInput in;

  ProtoStream(InputStream in) {
    this.in = ProtoInput.forward(in, STREAM);
  }

  long offset() {
    return in.pos;
  }

  /** A varint; the stream ending right before it is an {@link EOFException}. */
  long varint() throws IOException {
    try {
      if (!in.hasMore()) {
        throw new EOFException("protobuf ends before a varint");
      }
      return in.varint(Long.MAX_VALUE, WHAT);
    } catch (ModelsealException e) {
      throw io(e);
    }
  }

  /** The length of a LEN field, checked against the end of its enclosing message. */
  long length(long end) throws IOException {
    long to = region(end);
    return to - in.pos;
  }

  /** Reads a LEN field's length and returns the offset where the field ends. */
  long region(long end) throws IOException {
    try {
      return in.lengthDelimited(end, "a field");
    } catch (ModelsealException e) {
      throw io(e);
    }
  }

  String string(long end, int max) throws IOException {
    long to = region(end);
    if (to - in.pos > max) {
      in.pos = to;
      return null;
    }
    try {
      return new String(in.bytes(to), StandardCharsets.UTF_8);
    } catch (ModelsealException e) {
      throw io(e);
    }
  }

  void skip(int wireType, long end) throws IOException {
    try {
      in.skip(wireType, end, WHAT);
    } catch (ModelsealException e) {
      throw io(e);
    }
  }

  void skipTo(long target) throws IOException {
    if (target < in.pos) {
      throw new IOException("protobuf reader cannot go back");
    }
    in.pos = target;
  }

  private static IOException io(ModelsealException e) {
    return new IOException("protobuf " + e.reason(), e);
  }
}
