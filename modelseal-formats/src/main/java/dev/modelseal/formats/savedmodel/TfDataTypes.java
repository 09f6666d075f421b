package dev.modelseal.formats.savedmodel;

import dev.modelseal.formats.DType;

/** TensorFlow {@code DataType} numbers (types.proto) and their canonical dtypes. */
final class TfDataTypes {
  /** {@code DT_STRING}: variable-length strings, never a canonical tensor. */
  static final int DT_STRING = 7;

  private TfDataTypes() {}

  /** The canonical dtype of {@code dt}, or null when it has none. */
  static DType dtype(int dt) {
    return switch (dt) {
      case 1 -> DType.FLOAT32;
      case 2 -> DType.FLOAT64;
      case 3 -> DType.INT32;
      case 4 -> DType.UINT8;
      case 5 -> DType.INT16;
      case 6 -> DType.INT8;
      case 8 -> DType.COMPLEX64;
      case 9 -> DType.INT64;
      case 10 -> DType.BOOL;
      case 14 -> DType.BFLOAT16;
      case 17 -> DType.UINT16;
      case 18 -> DType.COMPLEX128;
      case 19 -> DType.FLOAT16;
      case 22 -> DType.UINT32;
      case 23 -> DType.UINT64;
      case 24 -> DType.FLOAT8_E5M2;
      case 25 -> DType.FLOAT8_E4M3FN;
      default -> null;
    };
  }

  /** The DataType number of a canonical dtype, or -1 when TensorFlow has none. */
  static int code(DType dtype) {
    for (int dt = 1; dt <= 25; dt++) {
      if (dtype(dt) == dtype) {
        return dt;
      }
    }
    return -1;
  }
}
