package dev.modelseal.formats.numpy;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.internal.Streams;
import dev.modelseal.internal.Mappings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads one {@code .npy} file (format 1.0, 2.0 or 3.0) as a model of one tensor, named after the
 * file without a trailing {@code .npy} (as {@code np.savez} names its members, so {@code x.npy} and
 * an .npz member {@code x.npy} agree).
 *
 * <p>Guarantee: the header is the exact dict numpy writes (three keys, no duplicates), the dtype
 * has a canonical form with an explicit byte order, and the file is exactly header plus data (no
 * trailing bytes). Column-major arrays are transposed through a memory map (at most 2 GiB).
 */
public final class NpyReader {
  private NpyReader() {}

  /** Opens {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return ReadChannel.read(file, (ch, size) -> read(file, ch, size, limits));
  }

  private static TensorModel read(Path file, FileChannel ch, long size, ReadLimits limits)
      throws ModelsealException {
    InputStream in = Channels.newInputStream(ch);
    NpyHeader h = NpyHeader.read(in, file, "the array", tensorName(file), limits);
    long len = h.info.byteLength();
    if (size - h.dataOffset != len) {
      throw new MalformedModelException(
          file,
          "the array needs "
              + len
              + " data bytes after its header but the file has "
              + (size - h.dataOffset)
              + (size - h.dataOffset > len ? " (trailing bytes)" : " (truncated)"));
    }
    TensorSource src;
    if (h.needsTranspose()) {
      LimitExceededException.check(file, "column-major array size", len, Integer.MAX_VALUE - 8L);
      src = new MappedFortran(h, ch, file);
    } else {
      src = new RegionSource(h.info, ch, file, h.dataOffset, h.bigEndian);
    }
    return TensorModel.of(file, Format.NPY, List.of(src), Map.of(), List.of(ch));
  }

  static String tensorName(Path file) {
    Path f = file.getFileName();
    String n = f == null ? "" : f.toString();
    return n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
  }

  /** A column-major array in a file, transposed through a read-only memory map. */
  static final class MappedFortran implements TensorSource {
    private final NpyHeader h;
    private final FileChannel ch;
    private final Path file;

    MappedFortran(NpyHeader h, FileChannel ch, Path file) {
      this.h = h;
      this.ch = ch;
      this.file = file;
    }

    @Override
    public TensorInfo info() {
      return h.info;
    }

    @Override
    public TensorStream open() throws ModelsealException {
      MappedByteBuffer map;
      try {
        map = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset, h.info.byteLength());
      } catch (IOException e) {
        throw ModelIoException.of(file, e);
      }
      TensorStream t = Streams.transposed(map, h.info.shape(), h.info.dtype().bits() / 8);
      TensorStream c = Streams.canonical(t, h.info, file, h.bigEndian);
      return new TensorStream() {
        @Override
        public ByteBuffer next() throws ModelsealException {
          return c.next();
        }

        @Override
        public void close() {
          c.close();
          Mappings.unmap(map);
        }
      };
    }
  }
}
