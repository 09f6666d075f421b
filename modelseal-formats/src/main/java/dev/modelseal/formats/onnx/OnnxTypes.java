package dev.modelseal.formats.onnx;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.internal.ProtoInput;

/**
 * {@code TensorProto.DataType} codes, their canonical dtypes, and the typed field that carries each
 * ({@code float_data}, {@code int32_data}, {@code int64_data}, {@code double_data}, {@code
 * uint64_data}) with the range its values must lie in.
 */
final class OnnxTypes {
  static final int FLOAT_DATA = 4;
  static final int INT32_DATA = 5;
  static final int STRING_DATA = 6;
  static final int INT64_DATA = 7;
  static final int DOUBLE_DATA = 10;
  static final int UINT64_DATA = 11;

  static final int STRING = 8;
  static final int INT64 = 7;

  private OnnxTypes() {}

  /** How one data type is stored in a typed field. */
  record Carrier(int field, int wire, int perElement, int width, long min, long max) {
    /** True when the varint {@code v} (as protobuf decodes the field) is in range. */
    boolean inRange(long v) {
      if (field == INT32_DATA && v != (int) v) {
        return false;
      }
      if (field == UINT64_DATA) {
        return Long.compareUnsigned(v, max) <= 0;
      }
      return v >= min && v <= max;
    }
  }

  /** The canonical dtype of {@code code}, or {@code null} when unknown or not a weights type. */
  static DType dtype(int code) {
    return switch (code) {
      case 1 -> DType.FLOAT32;
      case 2 -> DType.UINT8;
      case 3 -> DType.INT8;
      case 4 -> DType.UINT16;
      case 5 -> DType.INT16;
      case 6 -> DType.INT32;
      case 7 -> DType.INT64;
      case 9 -> DType.BOOL;
      case 10 -> DType.FLOAT16;
      case 11 -> DType.FLOAT64;
      case 12 -> DType.UINT32;
      case 13 -> DType.UINT64;
      case 14 -> DType.COMPLEX64;
      case 15 -> DType.COMPLEX128;
      case 16 -> DType.BFLOAT16;
      case 17 -> DType.FLOAT8_E4M3FN;
      case 18 -> DType.FLOAT8_E4M3FNUZ;
      case 19 -> DType.FLOAT8_E5M2;
      case 20 -> DType.FLOAT8_E5M2FNUZ;
      case 23 -> DType.FLOAT4_E2M1FN;
      case 24 -> DType.FLOAT8_E8M0FNU;
      default -> null;
    };
  }

  /** True for codes that onnx.proto defines but that have no canonical weights dtype here. */
  static boolean knownUnsupported(int code) {
    return code == STRING || code == 21 || code == 22;
  }

  /** The typed field for {@code code}, or {@code null} when it has none (sub-byte types). */
  static Carrier carrier(int code) {
    int v = ProtoInput.VARINT;
    return switch (code) {
      case 1 -> new Carrier(FLOAT_DATA, ProtoInput.FIXED32, 1, 4, 0, 0);
      case 14 -> new Carrier(FLOAT_DATA, ProtoInput.FIXED32, 2, 4, 0, 0);
      case 11 -> new Carrier(DOUBLE_DATA, ProtoInput.FIXED64, 1, 8, 0, 0);
      case 15 -> new Carrier(DOUBLE_DATA, ProtoInput.FIXED64, 2, 8, 0, 0);
      case 6 -> new Carrier(INT32_DATA, v, 1, 4, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case 5 -> new Carrier(INT32_DATA, v, 1, 2, Short.MIN_VALUE, Short.MAX_VALUE);
      case 3 -> new Carrier(INT32_DATA, v, 1, 1, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case 4, 10, 16 -> new Carrier(INT32_DATA, v, 1, 2, 0, 0xFFFF);
      case 2, 17, 18, 19, 20, 24 -> new Carrier(INT32_DATA, v, 1, 1, 0, 0xFF);
      case 9 -> new Carrier(INT32_DATA, v, 1, 1, 0, 1);
      case 7 -> new Carrier(INT64_DATA, v, 1, 8, Long.MIN_VALUE, Long.MAX_VALUE);
      case 12 -> new Carrier(UINT64_DATA, v, 1, 4, 0, 0xFFFF_FFFFL);
      case 13 -> new Carrier(UINT64_DATA, v, 1, 8, 0, -1L);
      default -> null;
    };
  }

  /** The protobuf field name of a typed field, for messages. */
  static String fieldName(int field) {
    return switch (field) {
      case FLOAT_DATA -> "float_data";
      case INT32_DATA -> "int32_data";
      case STRING_DATA -> "string_data";
      case INT64_DATA -> "int64_data";
      case DOUBLE_DATA -> "double_data";
      case UINT64_DATA -> "uint64_data";
      default -> "field " + field;
    };
  }
}
