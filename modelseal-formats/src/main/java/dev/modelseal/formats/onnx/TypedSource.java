package dev.modelseal.formats.onnx;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.ProtoInput;
import dev.modelseal.formats.internal.Streams;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A tensor whose values are in a typed field of its TensorProto ({@code float_data}, {@code
 * int32_data}...), packed or not, possibly split over several occurrences. Each stream re-reads the
 * message and converts the values to canonical little-endian bytes of the element width, checking
 * that each value is in range for the dtype (an int8 in {@code int32_data} is within [-128, 127], a
 * float16 bit pattern within [0, 65535], a bool 0 or 1).
 */
final class TypedSource implements TensorSource {
  private final TensorInfo info;
  private final FileChannel ch;
  private final Path file;
  private final long start;
  private final long end;
  private final OnnxTypes.Carrier carrier;

  TypedSource(
      TensorInfo info, FileChannel ch, Path file, long start, long end, OnnxTypes.Carrier c) {
    this.info = info;
    this.ch = ch;
    this.file = file;
    this.start = start;
    this.end = end;
    this.carrier = c;
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() {
    return new Stream();
  }

  private final class Stream implements TensorStream {
    private final ProtoInput in = new ProtoInput(ch, file);
    private final ByteBuffer out =
        ByteBuffer.allocate((int) Math.min(Streams.CHUNK, Math.max(info.byteLength(), 1)))
            .order(ByteOrder.LITTLE_ENDIAN);
    private final String what = "tensor " + Quoted.of(info.name());
    private long packedEnd = -1;
    private long done;

    Stream() {
      in.pos = start;
    }

    @Override
    public ByteBuffer next() throws ModelsealException {
      if (done >= info.byteLength()) {
        return null;
      }
      out.clear();
      long want = Math.min(out.capacity(), info.byteLength() - done);
      while (out.position() < want) {
        put(nextValue());
      }
      done += out.position();
      return out.flip();
    }

    private void put(long v) throws ModelsealException {
      switch (carrier.width()) {
        case 1 -> out.put((byte) v);
        case 2 -> out.putShort((short) v);
        case 4 -> out.putInt((int) v);
        default -> out.putLong(v);
      }
    }

    private long nextValue() throws ModelsealException {
      while (true) {
        if (packedEnd >= 0 && in.pos < packedEnd) {
          return value(packedEnd);
        }
        packedEnd = -1;
        if (in.pos >= end) {
          throw new MalformedModelException(file, what + " has fewer values than its shape");
        }
        long tag = in.tag(end, what);
        int field = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        if (field != carrier.field()) {
          in.skip(wire, end, what);
        } else if (wire == ProtoInput.LEN) {
          packedEnd = in.lengthDelimited(end, what);
        } else if (wire == carrier.wire()) {
          return value(end);
        } else {
          throw new MalformedModelException(file, what + " has a typed value of wire type " + wire);
        }
      }
    }

    private long value(long limit) throws ModelsealException {
      return switch (carrier.wire()) {
        case ProtoInput.FIXED32 -> in.fixed(4, limit, what);
        case ProtoInput.FIXED64 -> in.fixed(8, limit, what);
        default -> {
          long v = in.varint(limit, what);
          if (!carrier.inRange(v)) {
            throw new MalformedModelException(
                file,
                what
                    + " ("
                    + info.dtype()
                    + ") holds "
                    + v
                    + " in "
                    + OnnxTypes.fieldName(carrier.field())
                    + ", out of range for its dtype");
          }
          yield v;
        }
      };
    }

    @Override
    public void close() {}
  }
}
