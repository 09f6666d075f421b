package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.StoredRegion;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns named tensor views into {@link TensorSource}s: validates each view against its storage
 * (every element it reaches lies inside the storage, sizes do not overflow) and materialises it
 * row-major: contiguous views are streamed, others gathered from the storage window they reach,
 * held in memory up to {@link ReadLimits#inMemoryTensorBytes()}.
 */
final class TorchTensors {
  private TorchTensors() {}

  static List<TensorSource> sources(
      Map<String, TensorRef> named,
      Map<String, StorageData> data,
      Path file,
      boolean bigEndian,
      ReadLimits limits)
      throws FormatException {
    LimitExceededException.check(file, "tensor count", named.size(), limits.tensors());
    List<TensorSource> out = new ArrayList<>(named.size());
    for (Map.Entry<String, TensorRef> e : named.entrySet()) {
      out.add(source(e.getKey(), e.getValue(), data, file, bigEndian, limits));
    }
    return out;
  }

  private static TensorSource source(
      String name,
      TensorRef t,
      Map<String, StorageData> data,
      Path file,
      boolean bigEndian,
      ReadLimits limits)
      throws FormatException {
    StorageRef s = t.storage();
    String what = "tensor '" + name + "'";
    StorageData d = data.get(s.key());
    if (d == null) {
      throw new MalformedModelException(file, what + ": its storage '" + s.key() + "' is missing");
    }
    TensorInfo info;
    try {
      info = TensorInfo.create(name, s.dtype(), t.size());
    } catch (IllegalArgumentException ex) {
      throw new MalformedModelException(file, what + ": " + ex.getMessage(), ex);
    }
    int width = s.dtype().bits() / 8;
    long numel = info.elements();
    long first = t.offset();
    long extent = 0; // elements reached past the first, when numel > 0
    boolean contiguous = true;
    long expect = 1;
    try {
      for (int k = t.size().length - 1; k >= 0; k--) {
        long n = t.size()[k];
        if (n == 0) {
          break;
        }
        extent = Math.addExact(extent, Math.multiplyExact(n - 1, t.stride()[k]));
        if (n != 1 && t.stride()[k] != expect) {
          contiguous = false;
        }
        expect = Math.multiplyExact(expect, n);
      }
      if (numel > 0 && Math.addExact(Math.addExact(first, extent), 1) > s.numel()) {
        throw new MalformedModelException(
            file,
            what
                + " reaches element "
                + (first + extent)
                + " of storage '"
                + s.key()
                + "', which has "
                + s.numel());
      }
      long windowBytes = Math.multiplyExact(Math.addExact(extent, 1), (long) width);
      if (numel > 0 && !contiguous) {
        LimitExceededException.check(
            file, what + " non-contiguous window", windowBytes, limits.inMemoryTensorBytes());
      }
      long start = Math.multiplyExact(Math.addExact(s.base(), first), (long) width);
      return new View(info, t, d, file, bigEndian, contiguous, start, windowBytes, width);
    } catch (ArithmeticException ex) {
      throw new MalformedModelException(file, what + ": its view overflows", ex);
    }
  }

  private static final class View implements TensorSource {
    private final TensorInfo info;
    private final TensorRef t;
    private final StorageData d;
    private final Path file;
    private final boolean bigEndian;
    private final boolean contiguous;
    private final long start;
    private final long window;
    private final int width;

    View(
        TensorInfo info,
        TensorRef t,
        StorageData d,
        Path file,
        boolean bigEndian,
        boolean contiguous,
        long start,
        long window,
        int width) {
      this.info = info;
      this.t = t;
      this.d = d;
      this.file = file;
      this.bigEndian = bigEndian;
      this.contiguous = contiguous;
      this.start = start;
      this.window = window;
      this.width = width;
    }

    @Override
    public TensorInfo info() {
      return info;
    }

    @Override
    public TensorStream open() throws ModelsealException {
      long len = info.byteLength();
      TensorStream raw;
      if (len == 0) {
        raw = Streams.memory(ByteBuffer.allocate(0));
      } else if (contiguous) {
        raw = d.range(start, len);
      } else {
        byte[] all = new byte[(int) window];
        int off = 0;
        try (TensorStream in = d.range(start, window)) {
          for (ByteBuffer b = in.next(); b != null; b = in.next()) {
            int n = b.remaining();
            b.get(all, off, n);
            off += n;
          }
        }
        raw = gather(ByteBuffer.wrap(all), t.size(), t.stride(), width, len);
      }
      return Streams.canonical(raw, info, file, bigEndian);
    }

    /** The storage range of a contiguous view that needs no byte swap or bool check. */
    @Override
    public Optional<StoredRegion> storedRegion() {
      if (!contiguous
          || info.byteLength() == 0
          || (bigEndian && width > 1)
          || info.dtype().equals(DType.BOOL)) {
        return Optional.empty();
      }
      return d.region(start, info.byteLength());
    }
  }

  /** Row-major elements of a strided view over {@code src} (the view's first element at 0). */
  static TensorStream gather(ByteBuffer src, long[] size, long[] stride, int width, long total) {
    int rank = size.length;
    long[] bstride = new long[rank];
    for (int k = 0; k < rank; k++) {
      bstride[k] = stride[k] * width;
    }
    return new TensorStream() {
      private final long[] idx = new long[rank];
      private final byte[] out = new byte[(int) Math.min(Streams.CHUNK, Math.max(total, 1))];
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
            if (++idx[k] < size[k]) {
              srcOff += bstride[k];
              break;
            }
            idx[k] = 0;
            srcOff -= bstride[k] * (size[k] - 1);
          }
        }
        done += n;
        return ByteBuffer.wrap(out, 0, n);
      }

      @Override
      public void close() {}
    };
  }

  /** The element width of {@code dt} in bytes (PyTorch storages are whole bytes). */
  static int width(DType dt) {
    return dt.bits() / 8;
  }
}
