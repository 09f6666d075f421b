package dev.modelseal.formats.keras;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where the bytes of an uncompressed ({@code STORED}) zip member lie in the archive, found from the
 * end of central directory record, the member's central directory entry and its local header.
 * Answers only for the plain case (no zip64, no encryption, sizes equal); any other case returns
 * null and the caller extracts the member through {@link java.util.zip.ZipFile} instead.
 */
final class StoredMember {
  private static final int EOCD = 0x06054b50;
  private static final int CEN = 0x02014b50;
  private static final int LOC = 0x04034b50;

  private StoredMember() {}

  /** Offset and length of a member's data. */
  record Span(long offset, long length) {}

  /** The span of member {@code name} if it is stored uncompressed, else null. */
  static Span find(FileChannel ch, String name) throws IOException {
    long size = ch.size();
    int tail = (int) Math.min(size, 22 + 65535);
    if (tail < 22) {
      return null;
    }
    ByteBuffer t = read(ch, size - tail, tail);
    int eocd = -1;
    for (int i = tail - 22; i >= 0; i--) {
      if (t.getInt(i) == EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      return null;
    }
    int count = t.getShort(eocd + 10) & 0xFFFF;
    long cdSize = t.getInt(eocd + 12) & 0xFFFFFFFFL;
    long cdOffset = t.getInt(eocd + 16) & 0xFFFFFFFFL;
    if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
      return null;
    }
    if (cdOffset + cdSize > size || cdSize > (16L << 20)) {
      return null;
    }
    ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    int p = 0;
    for (int e = 0; e < count; e++) {
      if (p + 46 > cd.limit() || cd.getInt(p) != CEN) {
        return null;
      }
      int flags = cd.getShort(p + 8) & 0xFFFF;
      int method = cd.getShort(p + 10) & 0xFFFF;
      long comp = cd.getInt(p + 20) & 0xFFFFFFFFL;
      long plain = cd.getInt(p + 24) & 0xFFFFFFFFL;
      int n = cd.getShort(p + 28) & 0xFFFF;
      int x = cd.getShort(p + 30) & 0xFFFF;
      int c = cd.getShort(p + 32) & 0xFFFF;
      long local = cd.getInt(p + 42) & 0xFFFFFFFFL;
      if (p + 46 + n > cd.limit()) {
        return null;
      }
      if (n == want.length && cd.slice(p + 46, n).equals(ByteBuffer.wrap(want))) {
        if (method != 0 || (flags & 1) != 0 || comp != plain || comp == 0xFFFFFFFFL) {
          return null;
        }
        if (local + 30 > size) {
          return null;
        }
        ByteBuffer lh = read(ch, local, 30);
        if (lh.getInt(0) != LOC) {
          return null;
        }
        long data = local + 30 + (lh.getShort(26) & 0xFFFF) + (lh.getShort(28) & 0xFFFF);
        return data + plain <= size ? new Span(data, plain) : null;
      }
      p += 46 + n + x + c;
    }
    return null;
  }

  private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("zip ends early");
      }
    }
    return b.flip().order(ByteOrder.LITTLE_ENDIAN);
  }
}
