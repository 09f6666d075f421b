package dev.modelseal.fingerprint;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.TensorStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads a numeric tensor's canonical bytes as a sequence of doubles, across chunk boundaries. */
final class ValueCursor {
  private final TensorStream in;
  private final DType.Kind kind;
  private final int width;
  private final ByteBuffer tmp;
  private ByteBuffer cur = ByteBuffer.allocate(0);

  ValueCursor(TensorStream in, DType dtype) {
    if (!isNumeric(dtype)) {
      throw new IllegalArgumentException(dtype + " is not decoded to numbers");
    }
    this.in = in;
    this.kind = dtype.kind();
    this.width = dtype.bits() / 8;
    this.tmp = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
  }

  static boolean isNumeric(DType d) {
    return d.kind() != DType.Kind.OPAQUE;
  }

  /** The next value; the caller knows how many there are. */
  double next() throws ModelsealException {
    ByteBuffer b;
    if (cur.remaining() >= width) {
      b = cur;
    } else {
      tmp.clear();
      while (tmp.hasRemaining()) {
        if (!cur.hasRemaining()) {
          ByteBuffer n = in.next();
          if (n == null) {
            throw new IllegalStateException("tensor ended early");
          }
          cur = n.slice().order(ByteOrder.LITTLE_ENDIAN);
          if (tmp.position() == 0 && cur.remaining() >= width) {
            return decode(cur);
          }
        }
        tmp.put(cur.get());
      }
      b = tmp.flip();
    }
    return decode(b);
  }

  private double decode(ByteBuffer b) {
    switch (kind) {
      case BOOL:
        return b.get();
      case SIGNED:
        return switch (width) {
          case 1 -> b.get();
          case 2 -> b.getShort();
          case 4 -> b.getInt();
          default -> b.getLong();
        };
      case UNSIGNED:
        return switch (width) {
          case 1 -> b.get() & 0xFF;
          case 2 -> b.getShort() & 0xFFFF;
          case 4 -> b.getInt() & 0xFFFFFFFFL;
          default -> unsigned(b.getLong());
        };
      case FLOAT:
        return switch (width) {
          case 2 -> halfToFloat(b.getShort() & 0xFFFF);
          case 4 -> b.getFloat();
          default -> b.getDouble();
        };
      case BFLOAT16:
        return Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
      default:
        throw new IllegalStateException("not numeric");
    }
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : ((double) (v >>> 1)) * 2.0 + (v & 1);
  }

  static float halfToFloat(int h) {
    int e = (h >>> 10) & 0x1F;
    int m = h & 0x3FF;
    float v;
    if (e == 0) {
      v = Math.scalb((float) m, -24);
    } else if (e == 31) {
      v = m == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = Math.scalb((float) (1024 + m), e - 25);
    }
    return (h & 0x8000) != 0 ? -v : v;
  }
}
