package dev.modelseal.formats.savedmodel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes tensor bundles (index table + one data shard) for tests: the LevelDB table layout with
 * prefix-compressed keys (restart interval 2), masked CRC32C on every block and tensor, and
 * hand-encoded BundleHeaderProto/BundleEntryProto. Hooks let a test break one thing at a time.
 */
final class BundleWriter {
  /** A tensor to write: checkpoint key, DataType number, shape, raw little-endian bytes. */
  record Tensor(String key, int dtype, long[] shape, byte[] data) {}

  int numShards = 1;
  int endianness = 0;

  /** When set, replaces an entry's proto: (key, proto) -> proto. */
  java.util.function.BiFunction<String, byte[], byte[]> entryHook = (k, p) -> p;

  private final List<Tensor> tensors = new ArrayList<>();

  BundleWriter add(String key, int dtype, long[] shape, byte[] data) {
    tensors.add(new Tensor(key, dtype, shape, data));
    return this;
  }

  /** Writes {@code dir/variables/variables.index} and its shard; returns the index path. */
  Path write(Path dir) throws IOException {
    Path vars = Files.createDirectories(dir.resolve("variables"));
    List<Tensor> sorted = new ArrayList<>(tensors);
    sorted.sort((a, b) -> Arrays.compareUnsigned(key(a), key(b)));
    ByteArrayOutputStream shard = new ByteArrayOutputStream();
    List<byte[][]> entries = new ArrayList<>();
    entries.add(new byte[][] {new byte[0], header()});
    for (Tensor t : sorted) {
      long offset = shard.size();
      shard.write(t.data());
      byte[] proto = entry(t, offset);
      entries.add(new byte[][] {key(t), entryHook.apply(t.key(), proto)});
    }
    Path index = vars.resolve("variables.index");
    Files.write(index, table(entries));
    Files.write(
        vars.resolve("variables.data-00000-of-" + String.format("%05d", numShards)),
        shard.toByteArray());
    Files.write(dir.resolve("saved_model.pb"), new byte[] {8, 1});
    return index;
  }

  private static byte[] key(Tensor t) {
    return t.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private byte[] header() {
    Proto p = new Proto();
    p.varint(1, numShards);
    p.varint(2, endianness);
    Proto version = new Proto();
    version.varint(1, 1);
    p.bytes(3, version.out.toByteArray());
    return p.out.toByteArray();
  }

  static byte[] entry(Tensor t, long offset) {
    Proto p = new Proto();
    p.varint(1, t.dtype());
    Proto shape = new Proto();
    for (long d : t.shape()) {
      Proto dim = new Proto();
      dim.varint(1, d);
      shape.bytes(2, dim.out.toByteArray());
    }
    p.bytes(2, shape.out.toByteArray());
    if (offset != 0) {
      p.varint(4, offset);
    }
    p.varint(5, t.data().length);
    p.fixed32(6, maskedCrc(t.data()));
    return p.out.toByteArray();
  }

  static int maskedCrc(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    return Crc.mask((int) c.getValue());
  }

  /** A whole table: one data block with all entries, an empty metaindex, an index, a footer. */
  static byte[] table(List<byte[][]> entries) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    byte[] data = block(entries);
    long[] dataHandle = {0, data.length};
    writeBlock(f, data);
    byte[] meta = block(List.of());
    long[] metaHandle = {f.size(), meta.length};
    writeBlock(f, meta);
    byte[] lastKey = entries.get(entries.size() - 1)[0];
    byte[] index = block(List.<byte[][]>of(new byte[][] {lastKey, handle(dataHandle)}));
    long[] indexHandle = {f.size(), index.length};
    writeBlock(f, index);
    byte[] footer = new byte[48];
    byte[] h = concat(handle(metaHandle), handle(indexHandle));
    System.arraycopy(h, 0, footer, 0, h.length);
    ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).putLong(40, SsTable.MAGIC);
    f.writeBytes(footer);
    return f.toByteArray();
  }

  static byte[] block(List<byte[][]> entries) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    List<Integer> restarts = new ArrayList<>();
    byte[] last = new byte[0];
    for (int i = 0; i < entries.size(); i++) {
      byte[] k = entries.get(i)[0];
      byte[] v = entries.get(i)[1];
      int shared = 0;
      if (i % 2 == 0) {
        restarts.add(b.size());
      } else {
        while (shared < last.length && shared < k.length && last[shared] == k[shared]) {
          shared++;
        }
      }
      varint(b, shared);
      varint(b, k.length - shared);
      varint(b, v.length);
      b.write(k, shared, k.length - shared);
      b.writeBytes(v);
      last = k;
    }
    if (restarts.isEmpty()) {
      restarts.add(0);
    }
    ByteBuffer r = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
    restarts.forEach(r::putInt);
    r.putInt(restarts.size());
    b.writeBytes(r.array());
    return b.toByteArray();
  }

  private static void writeBlock(ByteArrayOutputStream f, byte[] block) {
    f.writeBytes(block);
    byte[] withType = Arrays.copyOf(block, block.length + 1);
    f.write(0);
    int crc = maskedCrc(withType);
    f.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc).array());
  }

  static byte[] handle(long[] h) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    varint(b, h[0]);
    varint(b, h[1]);
    return b.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static void varint(ByteArrayOutputStream b, long v) {
    while ((v & ~0x7FL) != 0) {
      b.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.write((int) v);
  }

  /** A minimal protobuf encoder. */
  static final class Proto {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long v) {
      BundleWriter.varint(out, (long) field << 3);
      BundleWriter.varint(out, v);
      return this;
    }

    Proto bytes(int field, byte[] v) {
      BundleWriter.varint(out, (long) field << 3 | 2);
      BundleWriter.varint(out, v.length);
      out.writeBytes(v);
      return this;
    }

    Proto fixed32(int field, int v) {
      BundleWriter.varint(out, (long) field << 3 | 5);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
      return this;
    }
  }
}
