package dev.modelseal.formats.savedmodel;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A tensor in a data shard whose stored bytes are checked against the entry's masked CRC32C as they
 * stream: the last chunk is delivered only when the checksum matches, so a consumer never sees a
 * complete tensor that fails its check.
 */
final class CheckedSource implements TensorSource {
  private final TensorInfo info;
  private final FileChannel channel;
  private final Path file;
  private final long offset;
  private final int maskedCrc;
  private final boolean bigEndian;

  CheckedSource(
      TensorInfo info,
      FileChannel channel,
      Path file,
      long offset,
      int maskedCrc,
      boolean bigEndian) {
    this.info = info;
    this.channel = channel;
    this.file = file;
    this.offset = offset;
    this.maskedCrc = maskedCrc;
    this.bigEndian = bigEndian;
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() {
    TensorStream raw = Streams.region(channel, file, offset, info.byteLength());
    long length = info.byteLength();
    TensorStream checked =
        new TensorStream() {
          private final CRC32C crc = new CRC32C();
          private long done;
          private boolean verified;

          @Override
          public ByteBuffer next() throws ModelsealException {
            ByteBuffer b = raw.next();
            if (b != null) {
              crc.update(b.duplicate());
              done += b.remaining();
            }
            if (!verified && (b == null || done == length)) {
              verified = true;
              if (Crc.mask((int) crc.getValue()) != maskedCrc) {
                throw new MalformedModelException(
                    file, "tensor " + Quoted.of(info.name()) + " fails its CRC32C check");
              }
            }
            return b;
          }

          @Override
          public void close() {
            raw.close();
          }
        };
    return Streams.canonical(checked, info, file, bigEndian);
  }
}
