package dev.modelseal.formats;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a tensor's canonical bytes lie verbatim in a file: {@link #length()} bytes at {@link
 * #offset()} of an open channel. A reader offers one ({@link TensorSource#storedRegion()}) only
 * when the stored bytes are already canonical — row-major, contiguous, little-endian or one-byte
 * elements, no per-element check (so never for {@code bool}) — so that a consumer may hash the
 * range directly with large positional reads instead of pulling converted chunks.
 *
 * <p>Guarantee: the range lay inside the file when the model was opened and its length is the
 * tensor's {@link TensorInfo#byteLength()}. The channel belongs to the model: it is valid while the
 * model is open, is shared by every tensor (read it only with positional reads, from any thread)
 * and must not be closed by the consumer. Not checked: that the file has not shrunk since; a
 * consumer must treat a short read as a truncated file.
 */
public final class StoredRegion {
  private final FileChannel channel;
  private final Path file;
  private final long offset;
  private final long length;

  private StoredRegion(FileChannel channel, Path file, long offset, long length) {
    this.channel = channel;
    this.file = file;
    this.offset = offset;
    this.length = length;
  }

  /**
   * A region of {@code length} bytes at {@code offset} of {@code channel}, the open file {@code
   * file}.
   *
   * @throws IllegalArgumentException when the offset or length is negative or their sum overflows
   */
  public static StoredRegion of(FileChannel channel, Path file, long offset, long length) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(file, "file");
    if (offset < 0 || length < 0 || offset + length < 0) {
      throw new IllegalArgumentException("invalid region " + offset + "+" + length);
    }
    return new StoredRegion(channel, file, offset, length);
  }

  /** The model's open channel (positional reads only; do not close). */
  public FileChannel channel() {
    return channel;
  }

  /** The file the channel reads, for messages. */
  public Path file() {
    return file;
  }

  /** The first byte of the tensor in the file. */
  public long offset() {
    return offset;
  }

  /** The number of bytes, the tensor's canonical byte length. */
  public long length() {
    return length;
  }
}
