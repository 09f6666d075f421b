package dev.modelseal.formats.tflite;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A sparse TFLite weight: its stored values (a region of the file checked by the reader) densified
 * by {@link TfliteSparsity} into the row-major tensor of its dense shape, in memory (bounded by the
 * reader limit on in-memory tensors), each time it is opened.
 */
final class SparseTensorSource implements TensorSource {
  private final TensorInfo info;
  private final FileChannel channel;
  private final Path file;
  private final long offset;
  private final int length;
  private final TfliteSparsity sparsity;

  SparseTensorSource(
      TensorInfo info,
      FileChannel channel,
      Path file,
      long offset,
      int length,
      TfliteSparsity sparsity) {
    this.info = info;
    this.channel = channel;
    this.file = file;
    this.offset = offset;
    this.length = length;
    this.sparsity = sparsity;
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() throws ModelsealException {
    ByteBuffer stored = ByteBuffer.allocate(length);
    try {
      while (stored.hasRemaining()) {
        if (channel.read(stored, offset + stored.position()) < 0) {
          throw new MalformedModelException(file, "the file ends inside a sparse tensor's values");
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    int width = Math.max(1, info.dtype().bits() / 8);
    ByteBuffer dense = sparsity.densify(stored.array(), width, info.byteLength());
    return Streams.canonical(Streams.memory(dense), info, file, false);
  }
}
