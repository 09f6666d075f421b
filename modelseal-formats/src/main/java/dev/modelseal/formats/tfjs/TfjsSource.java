package dev.modelseal.formats.tfjs;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.StoredRegion;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One TF.js weight: its stored bytes are the concatenation of {@code segments} (a weight may cross
 * shard files), streamed by positional reads; a quantized weight is decoded element by element to
 * the float32 or int32 values the TF.js runtime produces.
 */
final class TfjsSource implements TensorSource {
  private final TensorInfo info;
  private final List<Segment> segments;
  private final TfjsQuantization quantization;
  private final Path modelJson;

  TfjsSource(
      TensorInfo info, List<Segment> segments, TfjsQuantization quantization, Path modelJson) {
    this.info = info;
    this.segments = List.copyOf(segments);
    this.quantization = quantization;
    this.modelJson = modelJson;
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  /** The quantization of the stored form, or null when the weight is stored as it is decoded. */
  TfjsQuantization quantization() {
    return quantization;
  }

  @Override
  public TensorStream open() {
    TensorStream raw = segments.size() == 1 ? region(segments.get(0)) : new Chain();
    if (quantization == null) {
      return Streams.canonical(raw, info, modelJson, false);
    }
    return new Decoded(raw);
  }

  /**
   * The file range of an unquantized weight that lies in one shard (TF.js stores little-endian
   * row-major values, the canonical bytes), except {@code bool} (checked byte by byte).
   */
  @Override
  public Optional<StoredRegion> storedRegion() {
    if (quantization != null || segments.size() != 1 || info.dtype().equals(DType.BOOL)) {
      return Optional.empty();
    }
    Segment s = segments.get(0);
    return Optional.of(StoredRegion.of(s.channel(), s.file(), s.offset(), s.length()));
  }

  private static TensorStream region(Segment s) {
    return Streams.region(s.channel(), s.file(), s.offset(), s.length());
  }

  /** The segments one after the other. */
  private final class Chain implements TensorStream {
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
        if (next >= segments.size()) {
          return null;
        }
        current = region(segments.get(next++));
      }
    }

    @Override
    public void close() {}
  }

  /** Stored values decoded to 4-byte little-endian float32 or int32 elements. */
  private final class Decoded implements TensorStream {
    private final TensorStream raw;
    private final int width = quantization.storedBytes();
    private final int[] table = table(info.dtype().equals(DType.INT32));
    private final ByteBuffer out =
        ByteBuffer.allocate((int) Math.min(Streams.CHUNK, Math.max(info.byteLength(), 4)))
            .order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer pending;
    private int carry = -1;

    Decoded(TensorStream raw) {
      this.raw = raw;
    }

    /** The decoded bits of every stored value (256 or 65,536 entries). */
    private int[] table(boolean toInt) {
      int[] t = new int[1 << (8 * width)];
      for (int v = 0; v < t.length; v++) {
        t[v] = toInt ? quantization.toInt(v) : Float.floatToRawIntBits(quantization.toFloat(v));
      }
      return t;
    }

    @Override
    public ByteBuffer next() throws ModelsealException {
      out.clear();
      while (out.remaining() >= 4) {
        if (pending == null || !pending.hasRemaining()) {
          pending = raw.next();
          if (pending == null) {
            break;
          }
        }
        while (out.remaining() >= 4 && pending.hasRemaining()) {
          int v;
          if (width == 1) {
            v = pending.get() & 0xFF;
          } else if (carry >= 0) {
            v = carry | ((pending.get() & 0xFF) << 8);
            carry = -1;
          } else if (pending.remaining() >= 2) {
            v = (pending.get() & 0xFF) | ((pending.get() & 0xFF) << 8);
          } else {
            carry = pending.get() & 0xFF;
            continue;
          }
          out.putInt(table[v]);
        }
      }
      out.flip();
      return out.hasRemaining() ? out : null;
    }

    @Override
    public void close() {
      raw.close();
    }
  }
}
