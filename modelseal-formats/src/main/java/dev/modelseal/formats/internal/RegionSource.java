package dev.modelseal.formats.internal;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.StoredRegion;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A tensor stored row-major in a byte range of a file, little-endian or (when {@code bigEndian})
 * big-endian. The range was checked against the file size by the reader.
 */
public final class RegionSource implements TensorSource {
  private final TensorInfo info;
  private final FileChannel channel;
  private final Path file;
  private final long offset;
  private final boolean bigEndian;

  /** A source of {@code info.byteLength()} bytes at {@code offset} of {@code channel}. */
  public RegionSource(
      TensorInfo info, FileChannel channel, Path file, long offset, boolean bigEndian) {
    this.info = info;
    this.channel = channel;
    this.file = file;
    this.offset = offset;
    this.bigEndian = bigEndian;
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() {
    return Streams.canonical(
        Streams.region(channel, file, offset, info.byteLength()), info, file, bigEndian);
  }

  /** The file range, unless the bytes are byte-swapped or are {@code bool} (checked per byte). */
  @Override
  public Optional<StoredRegion> storedRegion() {
    DType dt = info.dtype();
    if ((bigEndian && dt.swapWidth() > 1) || dt.equals(DType.BOOL)) {
      return Optional.empty();
    }
    return Optional.of(StoredRegion.of(channel, file, offset, info.byteLength()));
  }
}
