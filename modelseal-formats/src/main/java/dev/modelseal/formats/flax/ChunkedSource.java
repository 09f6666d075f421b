package dev.modelseal.formats.flax;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * A tensor in flax's chunked form: the row-major bytes are the chunks' bytes one after the other
 * (each chunk a 1-D array of the tensor's dtype, little-endian), read by positional reads.
 */
final class ChunkedSource implements TensorSource {
  /** One chunk's bytes in the file. */
  record Region(long offset, long length) {}

  private final TensorInfo info;
  private final FileChannel channel;
  private final Path file;
  private final List<Region> regions;

  ChunkedSource(TensorInfo info, FileChannel channel, Path file, List<Region> regions) {
    this.info = info;
    this.channel = channel;
    this.file = file;
    this.regions = List.copyOf(regions);
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() {
    TensorStream raw =
        new TensorStream() {
          private int next;
          private TensorStream current;

          @Override
          public ByteBuffer next() throws ModelsealException {
            while (true) {
              if (current != null) {
                ByteBuffer b = current.next();
                if (b != null) {
                  return b;
                }
                current = null;
              }
              if (next >= regions.size()) {
                return null;
              }
              Region r = regions.get(next++);
              current = Streams.region(channel, file, r.offset(), r.length());
            }
          }

          @Override
          public void close() {}
        };
    return Streams.canonical(raw, info, file, false);
  }
}
