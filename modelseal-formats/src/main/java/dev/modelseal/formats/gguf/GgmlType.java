package dev.modelseal.formats.gguf;

import dev.modelseal.formats.DType;

/**
 * The ggml tensor types a GGUF file may use, with their block geometry (ggml's {@code
 * type_traits}): element types map to canonical element dtypes, quantized types to opaque block
 * dtypes {@code gguf.<NAME>}. Ids removed from ggml (4, 5, 31-33, 36-38) are absent and rejected.
 */
public enum GgmlType {
  /** 32-bit float. */
  F32(0, DType.FLOAT32),
  /** 16-bit float. */
  F16(1, DType.FLOAT16),
  /** Quantized. */
  Q4_0(2, 32, 18),
  /** Quantized. */
  Q4_1(3, 32, 20),
  /** Quantized. */
  Q5_0(6, 32, 22),
  /** Quantized. */
  Q5_1(7, 32, 24),
  /** Quantized. */
  Q8_0(8, 32, 34),
  /** Quantized. */
  Q8_1(9, 32, 36),
  /** Quantized. */
  Q2_K(10, 256, 84),
  /** Quantized. */
  Q3_K(11, 256, 110),
  /** Quantized. */
  Q4_K(12, 256, 144),
  /** Quantized. */
  Q5_K(13, 256, 176),
  /** Quantized. */
  Q6_K(14, 256, 210),
  /** Quantized. */
  Q8_K(15, 256, 292),
  /** Quantized. */
  IQ2_XXS(16, 256, 66),
  /** Quantized. */
  IQ2_XS(17, 256, 74),
  /** Quantized. */
  IQ3_XXS(18, 256, 98),
  /** Quantized. */
  IQ1_S(19, 256, 50),
  /** Quantized. */
  IQ4_NL(20, 32, 18),
  /** Quantized. */
  IQ3_S(21, 256, 110),
  /** Quantized. */
  IQ2_S(22, 256, 82),
  /** Quantized. */
  IQ4_XS(23, 256, 136),
  /** 8-bit integer. */
  I8(24, DType.INT8),
  /** 16-bit integer. */
  I16(25, DType.INT16),
  /** 32-bit integer. */
  I32(26, DType.INT32),
  /** 64-bit integer. */
  I64(27, DType.INT64),
  /** 64-bit float. */
  F64(28, DType.FLOAT64),
  /** Quantized. */
  IQ1_M(29, 256, 56),
  /** bfloat16. */
  BF16(30, DType.BFLOAT16),
  /** Ternary. */
  TQ1_0(34, 256, 54),
  /** Ternary. */
  TQ2_0(35, 256, 66),
  /** Microscaling FP4. */
  MXFP4(39, 32, 17),
  /** NVIDIA FP4. */
  NVFP4(40, 64, 36),
  /** Quantized, 1 bit. */
  Q1_0(41, 128, 18),
  /** Quantized, 2 bits. */
  Q2_0(42, 64, 18);

  private final int id;
  private final DType dtype;

  GgmlType(int id, DType dtype) {
    this.id = id;
    this.dtype = dtype;
  }

  GgmlType(int id, int blockElements, int blockBytes) {
    this.id = id;
    this.dtype = DType.block("gguf." + name(), blockElements, blockBytes);
  }

  /** The id stored in the file. */
  public int id() {
    return id;
  }

  /** The canonical dtype. */
  public DType dtype() {
    return dtype;
  }

  /** The type with this id, or null when unknown. */
  public static GgmlType byId(long id) {
    for (GgmlType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    return null;
  }
}
