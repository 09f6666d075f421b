package dev.modelseal.formats.orbax;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The one chunk of a zarr array: the whole stored value, or for a zarr v3 {@code sharding_indexed}
 * shard the region its end index names; zstd-decompressed (aircompressor) when the codecs say so.
 * The index is checked when the source is made; the value is opened again for each stream, and the
 * stream must yield exactly the tensor's canonical bytes.
 */
final class ChunkSource implements TensorSource {
  private static final long EMPTY = -1L;

  private final TensorInfo info;
  private final StoredValue value;
  private final long offset;
  private final long length;
  private final boolean zstd;

  private ChunkSource(TensorInfo info, StoredValue value, long offset, long length, boolean zstd) {
    this.info = info;
    this.value = value;
    this.offset = offset;
    this.length = length;
    this.zstd = zstd;
  }

  static ChunkSource open(TensorInfo info, StoredValue value, ZarrArray z)
      throws ModelsealException {
    Path file = value.file();
    long size = value.length();
    long off = 0;
    long len = size;
    if (z.sharded) {
      if (size < 20) {
        throw new MalformedModelException(file, "the shard is shorter than its 20-byte index");
      }
      ByteBuffer idx = ByteBuffer.wrap(value.read(size - 20, 20)).order(ByteOrder.LITTLE_ENDIAN);
      CRC32C crc = new CRC32C();
      crc.update(idx.array(), 0, 16);
      if ((int) crc.getValue() != idx.getInt(16)) {
        throw new MalformedModelException(file, "the shard index fails its CRC32C");
      }
      off = idx.getLong(0);
      len = idx.getLong(8);
      if (off == EMPTY && len == EMPTY) {
        throw new MalformedModelException(
            file, "the shard holds no chunk (orbax writes every chunk, even of fill values)");
      }
      if (off < 0 || len < 0 || off > size - 20 || len > size - 20 - off) {
        throw new MalformedModelException(file, "the shard index points outside the shard");
      }
    }
    if (!z.zstd && len != info.byteLength()) {
      throw new MalformedModelException(
          file, "the chunk holds " + len + " bytes, the array needs " + info.byteLength());
    }
    return new ChunkSource(info, value, off, len, z.zstd);
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() throws ModelsealException {
    if (info.byteLength() == 0 && length == 0) {
      return Streams.memory(ByteBuffer.allocate(0));
    }
    InputStream region = value.open(offset, length);
    InputStream in = zstd ? new Checked(new ZstdInputStream(region), region) : region;
    return Streams.canonical(
        Streams.input(in, value.file(), info.byteLength(), "the chunk of '" + info.name() + "'"),
        info,
        value.file(),
        false);
  }

  /** A decompressing stream whose failures (unchecked in aircompressor) become I/O errors. */
  private static final class Checked extends InputStream {
    private final InputStream in;
    private final InputStream raw;

    Checked(InputStream in, InputStream raw) {
      this.in = in;
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (RuntimeException e) {
        throw new IOException("the zstd data is corrupt", e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (RuntimeException e) {
        throw new IOException("the zstd data is corrupt", e);
      }
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }
}
