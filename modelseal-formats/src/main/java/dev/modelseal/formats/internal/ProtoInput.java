package dev.modelseal.formats.internal;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.MalformedModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The one protobuf wire-format cursor of modelseal: over a file (the ONNX reader, the SavedModel
 * graph lister and the scanner's Keras metadata rule; positional reads through a 64 KiB window),
 * over a small message in memory (tensor bundle entries and headers), or forward-only over a stream
 * (the scanner's ONNX rule; skipped fields are skipped in the stream, never held). Every read is
 * bounded by an {@code end} given by the caller (the end of the enclosing message), so a length can
 * never reach outside its message. Not thread-safe; one per parse or stream.
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
  private final InputStream stream;
  private final Path file;
  private final ByteBuffer buf;
  private long bufStart;
  private int bufLen;

  /** The position of the next byte to read. */
  public long pos;

  /** A cursor over the file open on {@code ch}. */
  public ProtoInput(FileChannel ch, Path file) {
    this.ch = ch;
    this.stream = null;
    this.file = file;
    this.buf = ByteBuffer.allocate(1 << 16);
  }

  private ProtoInput(byte[] message, InputStream stream, Path file) {
    this.ch = null;
    this.stream = stream;
    this.file = file;
    this.buf = message != null ? ByteBuffer.wrap(message) : ByteBuffer.allocate(1 << 16);
    this.bufLen = message != null ? message.length : 0;
  }

  /** A cursor over {@code message} held in memory; {@code file} names it in errors. */
  public static ProtoInput of(byte[] message, Path file) {
    return new ProtoInput(message, null, file);
  }

  /**
   * A forward-only cursor over {@code stream} (at offset 0); {@link #pos} may only move forward,
   * and bytes skipped are skipped in the stream.
   */
  public static ProtoInput forward(InputStream stream, Path file) {
    return new ProtoInput(null, stream, file);
  }

  /** True when the content has a byte at {@link #pos} (for a stream: reads ahead to see). */
  public boolean hasMore() throws ModelsealException {
    if (pos >= bufStart && pos < bufStart + bufLen) {
      return true;
    }
    if (ch == null && stream == null) {
      return false;
    }
    try {
      byteAt(pos);
      return true;
    } catch (MalformedModelException e) {
      return false;
    }
  }

  public Path file() {
    return file;
  }

  private int byteAt(long p) throws ModelsealException {
    if ((p < bufStart || p >= bufStart + bufLen) && ch == null) {
      fillForward(p);
    } else if (p < bufStart || p >= bufStart + bufLen) {
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

  /** Fills the window of a stream (forward only) or fails for a message in memory. */
  private void fillForward(long p) throws ModelsealException {
    if (stream == null) {
      throw new MalformedModelException(file, "the message ends inside a protobuf field");
    }
    long streamPos = bufStart + bufLen;
    if (p < streamPos) {
      throw new MalformedModelException(file, "a protobuf stream cannot be read backwards");
    }
    try {
      stream.skipNBytes(p - streamPos);
      int n = stream.readNBytes(buf.array(), 0, buf.capacity());
      bufStart = p;
      bufLen = n;
    } catch (java.io.EOFException e) {
      bufStart = streamPos;
      bufLen = 0;
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    if (bufLen == 0) {
      throw new MalformedModelException(file, "the file ends inside a protobuf message");
    }
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
              + " bytes, past its message ("
              + (end - pos)
              + " left)");
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

  /** Throws unless {@code wire} is {@code expected}; {@code field} names the field in the error. */
  public void expect(int wire, int expected, String field) throws MalformedModelException {
    if (wire != expected) {
      throw malformed(field + " has wire type " + wire + ", expected " + expected);
    }
  }

  public MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, reason);
  }
}
