package dev.modelseal.formats.internal;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.MalformedModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A cursor over a protobuf-encoded file (shared by the ONNX reader and the SavedModel graph
 * lister), read by positional reads through a 64 KiB window. Every read is bounded by an {@code
 * end} given by the caller (the end of the enclosing message), so a length can never reach outside
 * its message. Not thread-safe; one per parse or stream.
 */
public final class ProtoInput {
  /** Wire type of varints. */
  public static final int VARINT = 0;

  /** Wire type of 64-bit fixed-width values. */
  public static final int FIXED64 = 1;

  /** Wire type of length-delimited fields. */
  public static final int LEN = 2;

  /** Wire type of 32-bit fixed-width values. */
  public static final int FIXED32 = 5;

  private final FileChannel ch;
  private final Path file;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
  private long bufStart;
  private int bufLen;

  /** The position of the next byte to read. */
  public long pos;

  public ProtoInput(FileChannel ch, Path file) {
    this.ch = ch;
    this.file = file;
  }

  public Path file() {
    return file;
  }

  private int byteAt(long p) throws ModelsealException {
    if (p < bufStart || p >= bufStart + bufLen) {
      buf.clear();
      try {
        while (buf.hasRemaining()) {
          int n = ch.read(buf, p + buf.position());
          if (n < 0) {
            break;
          }
        }
      } catch (IOException e) {
        throw ModelIoException.of(file, e);
      }
      bufStart = p;
      bufLen = buf.position();
      if (bufLen == 0) {
        throw new MalformedModelException(file, "the file ends inside a protobuf message");
      }
    }
    return buf.get((int) (p - bufStart)) & 0xFF;
  }

  /** A varint before {@code end}: at most 10 bytes, the tenth at most 1. */
  public long varint(long end, String what) throws ModelsealException {
    long v = 0;
    for (int i = 0; i < 10; i++) {
      if (pos >= end) {
        throw malformed("a varint in " + what + " runs past its message");
      }
      int b = byteAt(pos++);
      if (i == 9 && b > 1) {
        throw malformed("a varint in " + what + " is longer than 64 bits");
      }
      v |= (long) (b & 0x7F) << (7 * i);
      if (b < 0x80) {
        return v;
      }
    }
    throw malformed("a varint in " + what + " is longer than 10 bytes");
  }

  /** A little-endian fixed-width value of {@code width} (4 or 8) bytes before {@code end}. */
  public long fixed(int width, long end, String what) throws ModelsealException {
    if (end - pos < width) {
      throw malformed("a " + (width * 8) + "-bit value in " + what + " runs past its message");
    }
    long v = 0;
    for (int i = 0; i < width; i++) {
      v |= (long) byteAt(pos++) << (8 * i);
    }
    return v;
  }

  /**
   * Reads a length prefix and returns the end of the length-delimited payload that starts at {@link
   * #pos}; the payload must end at or before {@code end}.
   */
  public long lengthDelimited(long end, String what) throws ModelsealException {
    long len = varint(end, what);
    if (len < 0 || len > end - pos) {
      throw malformed(
          what
              + " claims "
              + Long.toUnsignedString(len)
              + " bytes, more than the "
              + (end - pos)
              + " left in its message");
    }
    return pos + len;
  }

  /** The bytes from {@link #pos} to {@code to}, which the caller bounded. */
  public byte[] bytes(long to) throws ModelsealException {
    byte[] b = new byte[Math.toIntExact(to - pos)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) byteAt(pos++);
    }
    return b;
  }

  /** Skips a field's value of wire type {@code wire}; groups and unknown wire types are errors. */
  public void skip(int wire, long end, String what) throws ModelsealException {
    switch (wire) {
      case VARINT -> varint(end, what);
      case FIXED64 -> fixed(8, end, what);
      case LEN -> pos = lengthDelimited(end, what);
      case FIXED32 -> fixed(4, end, what);
      default -> throw malformed("wire type " + wire + " in " + what + " is not allowed");
    }
  }

  /** Reads a tag before {@code end}: field number (1..2^29-1) in the high bits, wire type low. */
  public long tag(long end, String what) throws ModelsealException {
    long t = varint(end, what);
    if ((t >>> 3) == 0 || (t >>> 3) > 0x1FFF_FFFFL) {
      throw malformed("invalid field number " + Long.toUnsignedString(t >>> 3) + " in " + what);
    }
    return t;
  }

  public MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, reason);
  }
}
