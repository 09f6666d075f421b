package dev.modelseal.formats.internal;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Chunked {@link TensorStream}s. Every raw stream delivers full chunks of {@link #CHUNK} bytes (a
 * multiple of 16, so that no scalar straddles two chunks) except the last, and exactly the length
 * it was given; {@link #canonical} then byte-swaps big-endian data and checks bool bytes.
 */
public final class Streams {
  /** Chunk size: 1 MiB. */
  public static final int CHUNK = 1 << 20;

  private Streams() {}

  /** {@code length} bytes of {@code channel} from {@code offset}, by positional reads. */
  public static TensorStream region(FileChannel channel, Path file, long offset, long length) {
    return new TensorStream() {
      private final ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, length));
      private long done;

      @Override
      public ByteBuffer next() throws ModelsealException {
        if (done >= length) {
          return null;
        }
        int want = (int) Math.min(buf.capacity(), length - done);
        buf.clear().limit(want);
        try {
          while (buf.hasRemaining()) {
            int n = channel.read(buf, offset + done + buf.position());
            if (n < 0) {
              throw new MalformedModelException(
                  file, "file ends inside tensor data (it changed or was truncated)");
            }
          }
        } catch (IOException e) {
          throw ModelIoException.of(file, e);
        }
        done += want;
        return buf.flip();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Exactly {@code length} bytes of {@code in}, which must then be at its end; {@code what} names
   * the member in errors. The input stream is closed with the tensor stream.
   */
  public static TensorStream input(InputStream in, Path file, long length, String what) {
    return new TensorStream() {
      private final byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
      private long done;
      private boolean checkedEnd;

      @Override
      public ByteBuffer next() throws ModelsealException {
        try {
          if (done >= length) {
            if (!checkedEnd) {
              checkedEnd = true;
              if (in.read() >= 0) {
                throw new MalformedModelException(file, what + " has bytes after its data");
              }
            }
            return null;
          }
          int want = (int) Math.min(buf.length, length - done);
          int got = in.readNBytes(buf, 0, want);
          if (got < want) {
            throw new MalformedModelException(file, what + " ends inside its data");
          }
          done += want;
          return ByteBuffer.wrap(buf, 0, want);
        } catch (IOException e) {
          throw new MalformedModelException(file, what + ": " + ModelIoException.describe(e), e);
        }
      }

      @Override
      public void close() {
        try {
          in.close();
        } catch (IOException e) {
          // Read-only.
        }
      }
    };
  }

  /** The bytes of {@code data} (its position to its limit), in chunks. */
  public static TensorStream memory(ByteBuffer data) {
    ByteBuffer all = data.slice();
    return new TensorStream() {
      private int pos;

      @Override
      public ByteBuffer next() {
        if (pos >= all.limit()) {
          return null;
        }
        int n = Math.min(CHUNK, all.limit() - pos);
        ByteBuffer b = all.slice(pos, n);
        pos += n;
        return b;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Row-major bytes of a column-major array: {@code data} holds {@code shape} in Fortran order with
   * elements of {@code width} bytes.
   */
  public static TensorStream transposed(ByteBuffer data, long[] shape, int width) {
    int rank = shape.length;
    long[] fstride = new long[rank];
    long s = width;
    for (int k = 0; k < rank; k++) {
      fstride[k] = s;
      s *= shape[k];
    }
    long total = s;
    ByteBuffer src = data.slice();
    return new TensorStream() {
      private final long[] idx = new long[rank];
      private final byte[] out = new byte[(int) Math.min(CHUNK, Math.max(total, 1))];
      private long done;
      private long srcOff;

      @Override
      public ByteBuffer next() {
        if (done >= total) {
          return null;
        }
        int n = (int) Math.min(out.length, total - done);
        for (int o = 0; o < n; o += width) {
          src.get((int) srcOff, out, o, width);
          for (int k = rank - 1; k >= 0; k--) {
            if (++idx[k] < shape[k]) {
              srcOff += fstride[k];
              break;
            }
            idx[k] = 0;
            srcOff -= fstride[k] * (shape[k] - 1);
          }
        }
        done += n;
        return ByteBuffer.wrap(out, 0, n);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * The canonical stream of a raw one: when {@code bigEndian}, each scalar is reversed in place; a
   * {@code bool} tensor's bytes must be 0 or 1.
   */
  public static TensorStream canonical(
      TensorStream raw, TensorInfo info, Path file, boolean bigEndian) {
    DType dt = info.dtype();
    int width = bigEndian ? dt.swapWidth() : 1;
    boolean bool = dt.equals(DType.BOOL);
    if (width == 1 && !bool) {
      return raw;
    }
    return new TensorStream() {
      @Override
      public ByteBuffer next() throws ModelsealException {
        ByteBuffer b = raw.next();
        if (b == null) {
          return null;
        }
        if (bool) {
          for (int i = b.position(); i < b.limit(); i++) {
            if ((b.get(i) & 0xFE) != 0) {
              throw new MalformedModelException(
                  file, "bool tensor '" + info.name() + "' holds a byte other than 0 or 1");
            }
          }
        }
        if (width > 1) {
          if (b.remaining() % width != 0 || !b.hasArray() || b.isReadOnly()) {
            throw new IllegalStateException("chunk not aligned to scalars");
          }
          byte[] a = b.array();
          int end = b.arrayOffset() + b.limit();
          for (int i = b.arrayOffset() + b.position(); i < end; i += width) {
            for (int l = i, h = i + width - 1; l < h; l++, h--) {
              byte t = a[l];
              a[l] = a[h];
              a[h] = t;
            }
          }
        }
        return b;
      }

      @Override
      public void close() {
        raw.close();
      }
    };
  }
}
