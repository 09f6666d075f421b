package dev.modelseal.formats.tflite;

import dev.modelseal.formats.DType;

/** TFLite {@code TensorType} numbers (schema.fbs) and their canonical dtypes. */
final class TfliteTypes {
  private TfliteTypes() {}

  /** The canonical dtype of a TensorType, or null when it has no canonical form. */
  static DType dtype(int type) {
    return switch (type) {
      case 0 -> DType.FLOAT32;
      case 1 -> DType.FLOAT16;
      case 2 -> DType.INT32;
      case 3 -> DType.UINT8;
      case 4 -> DType.INT64;
      case 6 -> DType.BOOL;
      case 7 -> DType.INT16;
      case 8 -> DType.COMPLEX64;
      case 9 -> DType.INT8;
      case 10 -> DType.FLOAT64;
      case 11 -> DType.COMPLEX128;
      case 12 -> DType.UINT64;
      case 15 -> DType.UINT32;
      case 16 -> DType.UINT16;
      case 18 -> DType.BFLOAT16;
      default -> null;
    };
  }

  /** A name for a TensorType number, for messages. */
  static String name(int type) {
    return switch (type) {
      case 5 -> "STRING";
      case 13 -> "RESOURCE";
      case 14 -> "VARIANT";
      case 17 -> "INT4";
      default -> "TensorType " + type;
    };
  }
}
