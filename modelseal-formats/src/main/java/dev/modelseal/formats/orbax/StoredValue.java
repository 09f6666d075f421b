package dev.modelseal.formats.orbax;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes stored under one key of a checkpoint: a whole file (the directory layout), a region of
 * an OCDBT data file, or a value stored inline in an OCDBT b-tree leaf. Every read stays inside the
 * region; a file that ends before it fails as truncated.
 */
final class StoredValue {
  private final Path file;
  private final long offset;
  private final long length;
  private final byte[] inline;

  private StoredValue(Path file, long offset, long length, byte[] inline) {
    this.file = file;
    this.offset = offset;
    this.length = length;
    this.inline = inline;
  }

  /** {@code length} bytes of {@code file} from {@code offset}. */
  static StoredValue region(Path file, long offset, long length) {
    return new StoredValue(file, offset, length, null);
  }

  /** Bytes held in memory ({@code where} names the file they came from, for messages). */
  static StoredValue inline(Path where, byte[] bytes) {
    return new StoredValue(where, 0, bytes.length, bytes);
  }

  /** The file the bytes are in (or, inline, the node they were read from). */
  Path file() {
    return file;
  }

  long length() {
    return length;
  }

  /** All the bytes, refused over {@code limit}. */
  byte[] readAll(long limit, String what) throws ModelsealException {
    LimitExceededException.check(file, what, length, limit);
    return read(0, (int) length);
  }

  /** {@code n} bytes from {@code pos} within the value. */
  byte[] read(long pos, int n) throws ModelsealException {
    if (pos < 0 || n < 0 || pos > length || n > length - pos) {
      throw new MalformedModelException(file, "a read points outside the stored value");
    }
    if (inline != null) {
      byte[] out = new byte[n];
      System.arraycopy(inline, (int) pos, out, 0, n);
      return out;
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer b = ByteBuffer.allocate(n);
      while (b.hasRemaining()) {
        if (ch.read(b, offset + pos + b.position()) < 0) {
          throw new MalformedModelException(
              file, "the file ends inside a stored value (truncated)");
        }
      }
      return b.array();
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  /** A stream of the bytes from {@code pos}, {@code n} of them. */
  InputStream open(long pos, long n) throws ModelsealException {
    if (pos < 0 || n < 0 || pos > length || n > length - pos) {
      throw new MalformedModelException(file, "a read points outside the stored value");
    }
    if (inline != null) {
      return new ByteArrayInputStream(inline, (int) pos, (int) n);
    }
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      return new Region(ch, offset + pos, n);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
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
      if (len == 0) {
        return 0;
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
}
