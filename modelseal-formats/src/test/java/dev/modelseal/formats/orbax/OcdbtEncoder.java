package dev.modelseal.formats.orbax;

import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A minimal encoder of tensorstore's OCDBT format ({@code kvstore/ocdbt/index.rst}) for hostile
 * test stores: every field written as the specification orders it, so a test can then break exactly
 * one. The real stores in the fixtures come from tensorstore itself.
 */
final class OcdbtEncoder {
  /** The {@code _METADATA} of a checkpoint of one array {@code w} in the OCDBT layout, zarr v2. */
  static final String META =
      "{\"tree_metadata\": {\"('w',)\": {\"key_metadata\": [{\"key\": \"w\", \"key_type\": 2}],"
          + " \"value_metadata\": {\"value_type\": \"np.ndarray\", \"skip_deserialize\": false}}},"
          + " \"use_ocdbt\": true, \"use_zarr3\": false}";

  /** The {@code .zarray} of {@code w}: two float32 values, uncompressed. */
  static final byte[] ZARRAY =
      utf8(
          "{\"chunks\":[2],\"compressor\":null,\"dimension_separator\":\".\",\"dtype\":\"<f4\","
              + "\"fill_value\":null,\"filters\":null,\"order\":\"C\",\"shape\":[2],"
              + "\"zarr_format\":2}");

  /** The chunk of {@code w}: 1.5 and -2 as little-endian float32. */
  static final byte[] CHUNK =
      java.nio.ByteBuffer.allocate(8)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putFloat(1.5f)
          .putFloat(-2f)
          .array();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /**
   * Writes a checkpoint of {@code w} into {@code dir}: {@code _METADATA}, {@code d/values} (four
   * bytes, then the chunk), {@code d/nodes} and {@code manifest.ocdbt} as given.
   */
  static void writeCheckpoint(java.nio.file.Path dir, byte[] manifest, byte[] nodes)
      throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir.resolve("d"));
    java.nio.file.Files.writeString(dir.resolve("_METADATA"), META);
    java.nio.file.Files.writeString(dir.resolve("_CHECKPOINT_METADATA"), "{}");
    byte[] values = new byte[4 + CHUNK.length];
    System.arraycopy(CHUNK, 0, values, 4, CHUNK.length);
    java.nio.file.Files.write(dir.resolve("d/values"), values);
    java.nio.file.Files.write(dir.resolve("d/nodes"), nodes);
    java.nio.file.Files.write(dir.resolve("manifest.ocdbt"), manifest);
  }

  /**
   * The leaf of {@code w}: the {@code .zarray} inline, the chunk at {@code dataPath}:{@code off}.
   */
  static byte[] leaf(String dataPath, List<String> keys, long chunkOffset) {
    return leafBody(
        List.of(dataPath),
        keys,
        List.of(Value.inline(ZARRAY), Value.at(0, chunkOffset, CHUNK.length)));
  }

  OcdbtEncoder varint(long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  OcdbtEncoder u8(int v) {
    out.write(v);
    return this;
  }

  OcdbtEncoder u64le(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  OcdbtEncoder bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  /** A data file table of {@code paths}, none sharing a prefix or a base path. */
  OcdbtEncoder table(List<String> paths) {
    varint(paths.size());
    for (int i = 1; i < paths.size(); i++) {
      varint(0);
    }
    for (String p : paths) {
      varint(utf8(p).length);
    }
    for (int i = 0; i < paths.size(); i++) {
      varint(0);
    }
    for (String p : paths) {
      bytes(utf8(p));
    }
    return this;
  }

  /** The body of a single-kind manifest with one version whose root is {@code root}. */
  static byte[] manifestBody(List<String> files, int rootFile, long off, long len, int height) {
    return new OcdbtEncoder()
        .bytes(new byte[16])
        .u8(0)
        .varint(100)
        .varint(8 << 20)
        .u8(4)
        .varint(0)
        .table(files)
        .varint(1)
        .varint(1)
        .u8(height)
        .varint(rootFile)
        .varint(off)
        .varint(len)
        .varint(1)
        .varint(len)
        .varint(0)
        .u64le(0)
        .varint(0)
        .build();
  }

  /** A leaf: {@code keys} with values inline ({@code file < 0}) or at {@code file}:{@code off}. */
  static byte[] leafBody(List<String> files, List<String> keys, List<Value> values) {
    OcdbtEncoder e = new OcdbtEncoder().u8(0).table(files).varint(keys.size());
    for (int i = 1; i < keys.size(); i++) {
      e.varint(0);
    }
    for (String k : keys) {
      e.varint(utf8(k).length);
    }
    for (String k : keys) {
      e.bytes(utf8(k));
    }
    for (Value v : values) {
      e.varint(v.length());
    }
    for (Value v : values) {
      e.u8(v.inline() == null ? 1 : 0);
    }
    for (Value v : values) {
      if (v.inline() == null) {
        e.varint(v.file());
      }
    }
    for (Value v : values) {
      if (v.inline() == null) {
        e.varint(v.offset());
      }
    }
    for (Value v : values) {
      if (v.inline() != null) {
        e.bytes(v.inline());
      }
    }
    return e.build();
  }

  /** An interior node of {@code height} whose children start at {@code keys}. */
  static byte[] interiorBody(
      int height, List<String> files, List<String> keys, List<long[]> children) {
    OcdbtEncoder e = new OcdbtEncoder().u8(height).table(files).varint(keys.size());
    for (int i = 1; i < keys.size(); i++) {
      e.varint(0);
    }
    for (String k : keys) {
      e.varint(utf8(k).length);
    }
    for (int i = 0; i < keys.size(); i++) {
      e.varint(0);
    }
    for (String k : keys) {
      e.bytes(utf8(k));
    }
    for (long[] c : children) {
      e.varint(c[0]);
    }
    for (long[] c : children) {
      e.varint(c[1]);
    }
    for (long[] c : children) {
      e.varint(c[2]);
    }
    for (int i = 0; i < 3 * children.size(); i++) {
      e.varint(1);
    }
    return e.build();
  }

  /** Header, optionally zstd-compressed body, CRC-32C footer. */
  static byte[] encode(int magic, byte[] body, boolean zstd) {
    byte[] payload = body;
    if (zstd) {
      ZstdCompressor c = new ZstdCompressor();
      byte[] buf = new byte[c.maxCompressedLength(body.length)];
      int n = c.compress(body, 0, body.length, buf, 0, buf.length);
      payload = Arrays.copyOf(buf, n);
    }
    int length = 4 + 8 + 1 + 1 + payload.length + 4;
    OcdbtEncoder e =
        new OcdbtEncoder()
            .u8(magic >>> 24)
            .u8((magic >>> 16) & 0xff)
            .u8((magic >>> 8) & 0xff)
            .u8(magic & 0xff)
            .u64le(length)
            .varint(0)
            .varint(zstd ? 1 : 0)
            .bytes(payload);
    byte[] b = e.build();
    CRC32C crc = new CRC32C();
    crc.update(b);
    int v = (int) crc.getValue();
    return new OcdbtEncoder().bytes(b).u8(v).u8(v >>> 8).u8(v >>> 16).u8(v >>> 24).build();
  }

  byte[] build() {
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A leaf value: inline bytes, or {@code length} bytes at {@code file}:{@code offset}. */
  record Value(byte[] inline, int file, long offset, long length) {
    static Value inline(byte[] b) {
      return new Value(b, -1, 0, b.length);
    }

    static Value at(int file, long offset, long length) {
      return new Value(null, file, offset, length);
    }
  }
}
