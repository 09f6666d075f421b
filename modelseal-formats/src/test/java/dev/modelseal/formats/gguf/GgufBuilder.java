package dev.modelseal.formats.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes GGUF files byte by byte, including hostile ones, for tests. */
final class GgufBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  GgufBuilder raw(byte... b) {
    out.writeBytes(b);
    return this;
  }

  GgufBuilder u8(int v) {
    out.write(v);
    return this;
  }

  GgufBuilder u32(long v) {
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    return this;
  }

  GgufBuilder u64(long v) {
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    return this;
  }

  GgufBuilder str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return u64(b.length).raw(b);
  }

  GgufBuilder header(int version, long tensors, long kvs) {
    return raw((byte) 'G', (byte) 'G', (byte) 'U', (byte) 'F').u32(version).u64(tensors).u64(kvs);
  }

  /** A string key/value. */
  GgufBuilder kvString(String key, String value) {
    return str(key).u32(8).str(value);
  }

  /** A u32 key/value. */
  GgufBuilder kvU32(String key, long value) {
    return str(key).u32(4).u32(value);
  }

  /** A tensor info; {@code ne} innermost first, as in the file. */
  GgufBuilder tensor(String name, int type, long offset, long... ne) {
    str(name).u32(ne.length);
    for (long n : ne) {
      u64(n);
    }
    return u32(type).u64(offset);
  }

  /** Zero padding up to a multiple of {@code alignment}. */
  GgufBuilder pad(int alignment) {
    while (out.size() % alignment != 0) {
      out.write(0);
    }
    return this;
  }

  GgufBuilder zeros(int n) {
    out.writeBytes(new byte[n]);
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
