package dev.modelseal.formats.orbax;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The one chunk of a zarr v3 array: the whole file, or for a {@code sharding_indexed} shard the
 * region its end index names; zstd-decompressed (aircompressor) when the codecs say so. The index
 * is checked when the source is made; the file is opened again for each stream, and the stream must
 * yield exactly the tensor's canonical bytes.
 */
final class ChunkSource implements TensorSource {
  private static final long EMPTY = -1L;

  private final TensorInfo info;
  private final Path file;
  private final long offset;
  private final long length;
  private final boolean zstd;

  private ChunkSource(TensorInfo info, Path file, long offset, long length, boolean zstd) {
    this.info = info;
    this.file = file;
    this.offset = offset;
    this.length = length;
    this.zstd = zstd;
  }

  static ChunkSource open(TensorInfo info, Path file, ZarrArray z, ReadLimits limits)
      throws ModelsealException {
    if (info.byteLength() == 0) {
      return new ChunkSource(info, file, 0, 0, false);
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      long off = 0;
      long len = size;
      if (z.sharded) {
        if (size < 20) {
          throw new MalformedModelException(file, "the shard is shorter than its 20-byte index");
        }
        ByteBuffer idx = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        while (idx.hasRemaining()) {
          if (ch.read(idx, size - 20 + idx.position()) < 0) {
            throw new MalformedModelException(file, "the shard ends inside its index");
          }
        }
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
      if (!zstd(z) && len != info.byteLength()) {
        throw new MalformedModelException(
            file, "the chunk holds " + len + " bytes, the array needs " + info.byteLength());
      }
      return new ChunkSource(info, file, off, len, z.zstd);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  private static boolean zstd(ZarrArray z) {
    return z.zstd;
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() throws ModelsealException {
    if (info.byteLength() == 0) {
      return Streams.memory(ByteBuffer.allocate(0));
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    InputStream region = new Region(ch, offset, length);
    InputStream in = zstd ? new Checked(new ZstdInputStream(region), region) : region;
    return Streams.canonical(
        Streams.input(in, file, info.byteLength(), "the chunk of '" + info.name() + "'"),
        info,
        file,
        false);
  }

  /** {@code length} bytes of a channel from {@code offset}; closes the channel. */
  private static final class Region extends InputStream {
    private final FileChannel ch;
    private long pos;
    private final long end;

    Region(FileChannel ch, long offset, long length) {
      this.ch = ch;
      this.pos = offset;
      this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= end) {
        return -1;
      }
      int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
      if (n < 0) {
        throw new IOException("the file ends inside the chunk (it changed or was truncated)");
      }
      pos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
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
