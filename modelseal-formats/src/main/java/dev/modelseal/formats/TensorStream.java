package dev.modelseal.formats;

import dev.modelseal.ModelsealException;
import java.nio.ByteBuffer;

/**
 * The canonical bytes of one tensor (row-major, little-endian), delivered in chunks. Pull-based so
 * that two tensors can be read side by side; memory use is one chunk, whatever the tensor size.
 *
 * <p>Guarantee: the chunks together are exactly {@link TensorInfo#byteLength()} bytes; a source
 * that cannot deliver them (a truncated file, a bool byte that is neither 0 nor 1) throws rather
 * than returning fewer. Not thread-safe; one stream per reader.
 */
public interface TensorStream extends AutoCloseable {
  /**
   * The next chunk, positioned at its first byte, or {@code null} at the end. The buffer is valid
   * until the next call and must not be modified.
   */
  ByteBuffer next() throws ModelsealException;

  /** Releases the stream's resources; never throws. */
  @Override
  void close();
}
