package dev.modelseal.formats.savedmodel;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.UnsupportedModelException;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A LevelDB-format table (TensorFlow's {@code tensorflow/core/lib/io} copy) read whole from a small
 * file: the 48-byte footer with its magic, the index block, and every data block it points to, each
 * block's masked CRC32C checked and its prefix-compressed entries decoded with every length checked
 * against the block. Keys must be strictly increasing. Blocks are stored uncompressed (type 0, as
 * TensorFlow writes bundles today) or Snappy-compressed (type 1, as TensorFlow 1.x wrote them and
 * TensorFlow Serving's test models store them), decompressed by aircompressor after the CRC check
 * (which covers the stored bytes) with the uncompressed size bounded before anything is allocated:
 * all blocks together expand to at most the caller's byte limit.
 */
final class SsTable {
  static final long MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER = 48;
  private static final int TRAILER = 5;
  private static final int SNAPPY = 1;

  /** One key/value pair; the value is a copy of its bytes. */
  record Entry(byte[] key, byte[] value) {}

  private final Path file;
  private final byte[] data;
  private final long maxBytes;
  private long expanded;

  private SsTable(Path file, byte[] data, long maxBytes) {
    this.file = file;
    this.data = data;
    this.maxBytes = maxBytes;
  }

  /** True when the last 8 bytes of {@code ch} are the table magic. */
  static boolean hasMagic(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < FOOTER) {
      return false;
    }
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, size - 8 + b.position()) < 0) {
        return false;
      }
    }
    return b.getLong(0) == MAGIC;
  }

  /**
   * Reads all entries of the table in {@code ch}, whose size was checked against a limit; the
   * blocks decompress to at most {@code maxBytes} in all.
   */
  static List<Entry> read(FileChannel ch, Path file, int maxEntries, long maxBytes)
      throws ModelsealException {
    byte[] data;
    try {
      long size = ch.size();
      data = new byte[Math.toIntExact(size)];
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        if (ch.read(b, b.position()) < 0) {
          throw new MalformedModelException(file, "the index file changed while being read");
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    return new SsTable(file, data, maxBytes).entries(maxEntries);
  }

  private List<Entry> entries(int maxEntries) throws ModelsealException {
    if (data.length < FOOTER) {
      throw malformed("too short for a table footer (" + data.length + " bytes)");
    }
    int footer = data.length - FOOTER;
    if (ByteBuffer.wrap(data, data.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()
        != MAGIC) {
      throw malformed("no table magic at the end of the file");
    }
    int[] pos = {footer};
    long[] meta = handle(pos, footer + 40, "the metaindex handle");
    long[] index = handle(pos, footer + 40, "the index handle");
    block(meta, footer, "the metaindex block");
    List<Entry> handles = decode(block(index, footer, "the index block"), "the index block");
    List<Entry> out = new ArrayList<>();
    byte[] last = null;
    for (Entry h : handles) {
      int[] p = {0};
      long[] bh = handleIn(h.value(), p, "a block handle in the index block");
      if (p[0] != h.value().length) {
        throw malformed("a block handle in the index block has trailing bytes");
      }
      for (Entry e : decode(block(bh, footer, "a data block"), "a data block")) {
        if (last != null && Arrays.compareUnsigned(last, e.key()) >= 0) {
          throw malformed("table keys are not strictly increasing");
        }
        last = e.key();
        out.add(e);
        LimitExceededException.check(file, "index entry count", out.size(), maxEntries);
      }
    }
    return out;
  }

  private long[] handle(int[] pos, int end, String what) throws ModelsealException {
    long off = varint(data, pos, end, what);
    long len = varint(data, pos, end, what);
    return new long[] {off, len};
  }

  private long[] handleIn(byte[] b, int[] pos, String what) throws ModelsealException {
    long off = varint(b, pos, b.length, what);
    long len = varint(b, pos, b.length, what);
    return new long[] {off, len};
  }

  /** The contents of the block at {@code h}, checked to end before {@code limit}, CRC verified. */
  private byte[] block(long[] h, int limit, String what) throws ModelsealException {
    long off = h[0];
    long len = h[1];
    if (off < 0 || len < 0 || off > limit || len > limit - off - TRAILER) {
      throw malformed(
          what
              + " handle (offset "
              + Long.toUnsignedString(off)
              + ", size "
              + Long.toUnsignedString(len)
              + ") lies outside the table");
    }
    int o = (int) off;
    int n = (int) len;
    int type = data[o + n] & 0xFF;
    CRC32C crc = new CRC32C();
    crc.update(data, o, n + 1);
    int stored = ByteBuffer.wrap(data, o + n + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (Crc.mask((int) crc.getValue()) != stored) {
      throw malformed(what + " at offset " + off + " fails its CRC32C check");
    }
    if (type == SNAPPY) {
      return snappy(o, n, what);
    }
    if (type != 0) {
      throw new UnsupportedModelException(
          file,
          what
              + " is compressed with type "
              + type
              + "; only uncompressed and Snappy blocks are read");
    }
    return Arrays.copyOfRange(data, o, o + n);
  }

  private byte[] snappy(int o, int n, String what) throws ModelsealException {
    long size;
    try {
      size = SnappyDecompressor.getUncompressedLength(data, o) & 0xFFFF_FFFFL;
    } catch (MalformedInputException | IndexOutOfBoundsException e) {
      throw malformed(what + " has no valid Snappy length header");
    }
    expanded += size;
    LimitExceededException.check(file, "the decompressed table size", expanded, maxBytes);
    byte[] out = new byte[(int) size];
    int written;
    try {
      written = new SnappyDecompressor().decompress(data, o, n, out, 0, out.length);
    } catch (MalformedInputException | IndexOutOfBoundsException e) {
      throw malformed(what + " is not valid Snappy data");
    }
    if (written != size) {
      throw malformed(
          what + " decompresses to " + written + " bytes, not the " + size + " declared");
    }
    return out;
  }

  /** The entries of a block: prefix-compressed keys, then restart points and their count. */
  private List<Entry> decode(byte[] b, String what) throws ModelsealException {
    if (b.length < 4) {
      throw malformed(what + " is too short");
    }
    long restarts =
        ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
    if (restarts > (b.length - 4) / 4) {
      throw malformed(what + " claims " + restarts + " restart points, more than it holds");
    }
    int end = (int) (b.length - 4 - 4 * restarts);
    List<Entry> out = new ArrayList<>();
    byte[] key = new byte[0];
    int[] p = {0};
    while (p[0] < end) {
      long shared = varint(b, p, end, what);
      long unshared = varint(b, p, end, what);
      long valueLen = varint(b, p, end, what);
      if (shared > key.length || unshared > end - p[0] || valueLen > end - p[0] - unshared) {
        throw malformed(what + " has an entry whose lengths run past the block");
      }
      byte[] k = Arrays.copyOf(key, (int) (shared + unshared));
      System.arraycopy(b, p[0], k, (int) shared, (int) unshared);
      p[0] += (int) unshared;
      byte[] v = Arrays.copyOfRange(b, p[0], p[0] + (int) valueLen);
      p[0] += (int) valueLen;
      out.add(new Entry(k, v));
      key = k;
    }
    return out;
  }

  private long varint(byte[] b, int[] pos, int end, String what) throws ModelsealException {
    long v = 0;
    for (int i = 0; i < 10; i++) {
      if (pos[0] >= end) {
        throw malformed("a varint in " + what + " runs past its end");
      }
      int x = b[pos[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << (7 * i);
      if (x < 0x80) {
        if (i == 9 && x > 1) {
          break;
        }
        return v;
      }
    }
    throw malformed("a varint in " + what + " is longer than 64 bits");
  }

  private MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, reason);
  }
}
