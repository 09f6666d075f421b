package dev.modelseal.formats.tflite;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.internal.Utf8;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A bounds-checked flatbuffer reader over a file, by positional reads through a 64 KiB window.
 * Every offset, vtable, table size and vector length is checked against the file size before it is
 * followed; nothing recurses. Not thread-safe.
 */
final class FlatInput {
  /** A table: its position and its vtable. */
  record Table(long pos, long vtable, int vtableSize, int tableSize) {}

  /** A vector: the position of its first element and its length. */
  record Vec(long start, long length) {}

  private final FileChannel ch;
  private final Path file;
  private final long size;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private long bufStart;
  private int bufLen;

  FlatInput(FileChannel ch, Path file, long size) {
    this.ch = ch;
    this.file = file;
    this.size = size;
  }

  long size() {
    return size;
  }

  private void window(long p, int width, String what) throws ModelsealException {
    if (p < 0 || p > size - width) {
      throw malformed(what + " at offset " + p + " is outside the file");
    }
    if (p >= bufStart && p + width <= bufStart + bufLen) {
      return;
    }
    buf.clear();
    try {
      while (buf.hasRemaining()) {
        if (ch.read(buf, p + buf.position()) < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    bufStart = p;
    bufLen = buf.position();
    if (bufLen < width) {
      throw malformed("the file ends inside " + what + " (it changed or was truncated)");
    }
  }

  int u8(long p, String what) throws ModelsealException {
    window(p, 1, what);
    return buf.get((int) (p - bufStart)) & 0xFF;
  }

  int u16(long p, String what) throws ModelsealException {
    window(p, 2, what);
    return buf.getShort((int) (p - bufStart)) & 0xFFFF;
  }

  int i32(long p, String what) throws ModelsealException {
    window(p, 4, what);
    return buf.getInt((int) (p - bufStart));
  }

  long u32(long p, String what) throws ModelsealException {
    return i32(p, what) & 0xFFFF_FFFFL;
  }

  long i64(long p, String what) throws ModelsealException {
    window(p, 8, what);
    return buf.getLong((int) (p - bufStart));
  }

  /** The table at {@code p}, with its vtable checked to lie inside the file. */
  Table table(long p, String what) throws ModelsealException {
    long vt = p - i32(p, what);
    int vtSize = u16(vt, "the vtable of " + what);
    int tSize = u16(vt + 2, "the vtable of " + what);
    if (vtSize < 4 || (vtSize & 1) != 0 || vt > size - vtSize) {
      throw malformed("the vtable of " + what + " has an invalid size " + vtSize);
    }
    if (tSize < 4 || p > size - tSize) {
      throw malformed(what + " has an invalid size " + tSize);
    }
    return new Table(p, vt, vtSize, tSize);
  }

  /** The position of field {@code id} of {@code t} of {@code width} bytes, or -1 when absent. */
  long field(Table t, int id, int width, String what) throws ModelsealException {
    int slot = 4 + 2 * id;
    if (slot + 2 > t.vtableSize()) {
      return -1;
    }
    int off = u16(t.vtable() + slot, what);
    if (off == 0) {
      return -1;
    }
    if (off < 4 || off + width > t.tableSize()) {
      throw malformed(what + " lies outside its table");
    }
    return t.pos() + off;
  }

  /** The position an offset field at {@code p} refers to. */
  long indirect(long p, String what) throws ModelsealException {
    long target = p + u32(p, what);
    if (target >= size) {
      throw malformed(what + " points outside the file");
    }
    return target;
  }

  /** The table a field refers to, or null when the field is absent. */
  Table tableField(Table t, int id, String what) throws ModelsealException {
    long f = field(t, id, 4, what);
    return f < 0 ? null : table(indirect(f, what), what);
  }

  /**
   * The vector a field refers to, its length checked against the bytes left in the file for
   * elements of {@code elemSize}; an absent field is an empty vector.
   */
  Vec vector(Table t, int id, int elemSize, String what) throws ModelsealException {
    long f = field(t, id, 4, what);
    if (f < 0) {
      return new Vec(0, 0);
    }
    long at = indirect(f, what);
    long len = u32(at, "the length of " + what);
    if (len > (size - at - 4) / elemSize) {
      throw malformed(what + " claims " + len + " elements, more than the file holds");
    }
    return new Vec(at + 4, len);
  }

  /** The table at index {@code i} of a vector of tables. */
  Table tableAt(Vec v, long i, String what) throws ModelsealException {
    long p = v.start() + 4 * i;
    return table(indirect(p, what), what);
  }

  /** A string field as UTF-8, at most {@code limit} bytes; null when absent. */
  String string(Table t, int id, int limit, String what) throws ModelsealException {
    Vec v = vector(t, id, 1, what);
    if (field(t, id, 4, what) < 0) {
      return null;
    }
    LimitExceededException.check(file, "the length of " + what, v.length(), limit);
    if (u8(v.start() + v.length(), what + " terminator") != 0) {
      throw malformed(what + " is not NUL-terminated");
    }
    byte[] b = new byte[(int) v.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) u8(v.start() + i, what);
    }
    try {
      return Utf8.decode(b);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " is not UTF-8");
    }
  }

  MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, reason);
  }
}
