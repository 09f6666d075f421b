package dev.modelseal.formats.onnx;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.ProtoInput;
import dev.modelseal.formats.internal.Streams;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Set;

/**
 * The non-tensor values of one {@code Constant} node's attribute, as the ONNX operator defines
 * them: {@code value_float} (AttributeProto {@code f}, field 2) is a {@code float32} scalar, {@code
 * value_floats} ({@code floats}, field 7, packed or not) a 1-D {@code float32} tensor, {@code
 * value_int} ({@code i}, field 3) an {@code int64} scalar and {@code value_ints} ({@code ints},
 * field 8) a 1-D {@code int64} tensor; values little-endian, in order. The values are held in
 * memory, at most {@link ReadLimits#inMemoryTensorBytes()}.
 */
final class ConstantValues {
  /** The Constant attributes read as tensors here. */
  static final Set<String> NUMERIC =
      Set.of("value_float", "value_floats", "value_int", "value_ints");

  private final Path file;
  private final ProtoInput in;
  private final ReadLimits limits;
  private Float f;
  private Long i;
  private final ByteArrayOutputStream floats = new ByteArrayOutputStream();
  private final ByteArrayOutputStream ints = new ByteArrayOutputStream();
  private long floatCount;
  private long intCount;

  ConstantValues(Path file, ProtoInput in, ReadLimits limits) {
    this.file = file;
    this.in = in;
    this.limits = limits;
  }

  /** Reads field {@code field} when it is one of the value fields; false otherwise. */
  boolean read(int field, int wire, long end) throws ModelsealException {
    switch (field) {
      case 2 -> {
        TensorRecord.expect(in, wire, ProtoInput.FIXED32, "a Constant value_float");
        f = Float.intBitsToFloat((int) in.fixed(4, end, "a Constant value_float"));
      }
      case 3 -> {
        TensorRecord.expect(in, wire, ProtoInput.VARINT, "a Constant value_int");
        i = in.varint(end, "a Constant value_int");
      }
      case 7 -> {
        if (wire == ProtoInput.LEN) {
          long e = in.lengthDelimited(end, "a Constant value_floats");
          while (in.pos < e) {
            putFloat(in.fixed(4, e, "a Constant value_floats"));
          }
        } else {
          TensorRecord.expect(in, wire, ProtoInput.FIXED32, "a Constant value_floats");
          putFloat(in.fixed(4, end, "a Constant value_floats"));
        }
      }
      case 8 -> {
        if (wire == ProtoInput.LEN) {
          long e = in.lengthDelimited(end, "a Constant value_ints");
          while (in.pos < e) {
            putLong(in.varint(e, "a Constant value_ints"));
          }
        } else {
          TensorRecord.expect(in, wire, ProtoInput.VARINT, "a Constant value_ints");
          putLong(in.varint(end, "a Constant value_ints"));
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private void room(int n) throws ModelsealException {
    LimitExceededException.check(
        file,
        "a Constant node's values size",
        (long) floats.size() + ints.size() + n,
        limits.inMemoryTensorBytes());
  }

  private void putFloat(long bits) throws ModelsealException {
    room(4);
    floats.writeBytes(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) bits).array());
    floatCount++;
  }

  private void putLong(long v) throws ModelsealException {
    room(8);
    ints.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    intCount++;
  }

  /** The tensor of attribute {@code name}, named after the node's output. */
  TensorSource tensor(String name, String output) throws ModelsealException {
    String what = "Constant node " + Quoted.of(output) + " (" + name + ")";
    byte[] data;
    DType dtype;
    long[] shape;
    switch (name) {
      case "value_float" -> {
        if (f == null) {
          throw new MalformedModelException(file, what + " has no f value");
        }
        dtype = DType.FLOAT32;
        shape = new long[0];
        data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f).array();
      }
      case "value_int" -> {
        if (i == null) {
          throw new MalformedModelException(file, what + " has no i value");
        }
        dtype = DType.INT64;
        shape = new long[0];
        data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(i).array();
      }
      case "value_floats" -> {
        dtype = DType.FLOAT32;
        shape = new long[] {floatCount};
        data = floats.toByteArray();
      }
      default -> {
        dtype = DType.INT64;
        shape = new long[] {intCount};
        data = ints.toByteArray();
      }
    }
    LimitExceededException.check(file, what + " size", data.length, limits.inMemoryTensorBytes());
    TensorInfo info = TensorInfo.create(output, dtype, shape);
    return new MemorySource(info, data);
  }

  private record MemorySource(TensorInfo info, byte[] data) implements TensorSource {
    @Override
    public TensorStream open() {
      return Streams.memory(ByteBuffer.wrap(data).asReadOnlyBuffer());
    }
  }
}
