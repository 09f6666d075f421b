package dev.modelseal.formats;

import java.util.Objects;

/**
 * A canonical dtype of the fingerprint definition ({@code docs/fingerprint.md}, section 2 and 3):
 * either an element dtype with a fixed bit width ({@code float32}, {@code float4_e2m1fn}) or an
 * opaque block dtype ({@code gguf.Q4_0}: a block of elements stored in a fixed number of bytes).
 *
 * <p>Immutable; equal when the canonical names are equal. {@link #byteLength(long[])} is the single
 * place where the byte length of a tensor is derived from its shape, with overflow checked.
 */
public final class DType {
  /** How values of a dtype can be read as numbers (for differences); {@code OPAQUE} cannot. */
  public enum Kind {
    /** {@code 0x00} or {@code 0x01}. */
    BOOL,
    /** Unsigned little-endian integer. */
    UNSIGNED,
    /** Two's complement little-endian integer. */
    SIGNED,
    /** IEEE 754 binary16, binary32 or binary64. */
    FLOAT,
    /** The upper half of a binary32. */
    BFLOAT16,
    /** Anything not decoded to numbers here: complex, float8, sub-byte, quantized blocks. */
    OPAQUE
  }

  /** {@code bool}. */
  public static final DType BOOL = element("bool", 8, Kind.BOOL);

  /** {@code uint8}. */
  public static final DType UINT8 = element("uint8", 8, Kind.UNSIGNED);

  /** {@code int8}. */
  public static final DType INT8 = element("int8", 8, Kind.SIGNED);

  /** {@code uint16}. */
  public static final DType UINT16 = element("uint16", 16, Kind.UNSIGNED);

  /** {@code int16}. */
  public static final DType INT16 = element("int16", 16, Kind.SIGNED);

  /** {@code uint32}. */
  public static final DType UINT32 = element("uint32", 32, Kind.UNSIGNED);

  /** {@code int32}. */
  public static final DType INT32 = element("int32", 32, Kind.SIGNED);

  /** {@code uint64}. */
  public static final DType UINT64 = element("uint64", 64, Kind.UNSIGNED);

  /** {@code int64}. */
  public static final DType INT64 = element("int64", 64, Kind.SIGNED);

  /** {@code float16}. */
  public static final DType FLOAT16 = element("float16", 16, Kind.FLOAT);

  /** {@code bfloat16}. */
  public static final DType BFLOAT16 = element("bfloat16", 16, Kind.BFLOAT16);

  /** {@code float32}. */
  public static final DType FLOAT32 = element("float32", 32, Kind.FLOAT);

  /** {@code float64}. */
  public static final DType FLOAT64 = element("float64", 64, Kind.FLOAT);

  /** {@code complex64}: two float32, real first. */
  public static final DType COMPLEX64 = element("complex64", 64, Kind.OPAQUE);

  /** {@code complex128}: two float64, real first. */
  public static final DType COMPLEX128 = element("complex128", 128, Kind.OPAQUE);

  /** {@code float8_e5m2}. */
  public static final DType FLOAT8_E5M2 = element("float8_e5m2", 8, Kind.OPAQUE);

  /** {@code float8_e4m3fn}. */
  public static final DType FLOAT8_E4M3FN = element("float8_e4m3fn", 8, Kind.OPAQUE);

  /** {@code float8_e8m0fnu}. */
  public static final DType FLOAT8_E8M0FNU = element("float8_e8m0fnu", 8, Kind.OPAQUE);

  /** {@code float8_e4m3fnuz}. */
  public static final DType FLOAT8_E4M3FNUZ = element("float8_e4m3fnuz", 8, Kind.OPAQUE);

  /** {@code float8_e5m2fnuz}. */
  public static final DType FLOAT8_E5M2FNUZ = element("float8_e5m2fnuz", 8, Kind.OPAQUE);

  /** {@code float4_e2m1fn}, packed two to a byte. */
  public static final DType FLOAT4_E2M1FN = element("float4_e2m1fn", 4, Kind.OPAQUE);

  /** {@code float6_e2m3fn}, packed. */
  public static final DType FLOAT6_E2M3FN = element("float6_e2m3fn", 6, Kind.OPAQUE);

  /** {@code float6_e3m2fn}, packed. */
  public static final DType FLOAT6_E3M2FN = element("float6_e3m2fn", 6, Kind.OPAQUE);

  private final String name;
  private final int bits;
  private final int blockElements;
  private final int blockBytes;
  private final Kind kind;

  private DType(String name, int bits, int blockElements, int blockBytes, Kind kind) {
    this.name = name;
    this.bits = bits;
    this.blockElements = blockElements;
    this.blockBytes = blockBytes;
    this.kind = kind;
  }

  private static DType element(String name, int bits, Kind kind) {
    return new DType(name, bits, 0, 0, kind);
  }

  /**
   * An opaque block dtype: {@code blockElements} values stored in {@code blockBytes} bytes.
   *
   * @param name the canonical name, for example {@code gguf.Q4_0}
   */
  public static DType block(String name, int blockElements, int blockBytes) {
    Objects.requireNonNull(name, "name");
    if (blockElements < 1 || blockBytes < 1) {
      throw new IllegalArgumentException("block sizes must be positive");
    }
    return new DType(name, 0, blockElements, blockBytes, Kind.OPAQUE);
  }

  /** The canonical name, ASCII. */
  public String name() {
    return name;
  }

  /** How the values can be read as numbers. */
  public Kind kind() {
    return kind;
  }

  /** True for an opaque block dtype. */
  public boolean isBlock() {
    return blockElements > 0;
  }

  /** Bits per element of an element dtype; 0 for a block dtype. */
  public int bits() {
    return bits;
  }

  /** Elements per block of a block dtype; 0 for an element dtype. */
  public int blockElements() {
    return blockElements;
  }

  /** Bytes per block of a block dtype; 0 for an element dtype. */
  public int blockBytes() {
    return blockBytes;
  }

  /**
   * Bytes of one scalar to reverse when converting from big-endian: the element width, or the
   * component width for complex dtypes; 1 when nothing is to be swapped.
   */
  public int swapWidth() {
    if (isBlock() || bits < 16) {
      return 1;
    }
    return this == COMPLEX64 || this == COMPLEX128 ? bits / 16 : bits / 8;
  }

  /**
   * The canonical byte length of a tensor of this dtype and {@code shape}.
   *
   * @throws IllegalArgumentException when a dimension is negative, the size overflows, the bits are
   *     not a whole number of bytes, or the innermost dimension is not a multiple of the block
   */
  public long byteLength(long[] shape) {
    long elements = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension " + d);
      }
      try {
        elements = Math.multiplyExact(elements, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("shape size overflows", e);
      }
    }
    if (isBlock()) {
      long inner = shape.length == 0 ? 1 : shape[shape.length - 1];
      if (inner % blockElements != 0) {
        throw new IllegalArgumentException(
            "innermost dimension "
                + inner
                + " is not a multiple of the "
                + name
                + " block of "
                + blockElements);
      }
      try {
        return Math.multiplyExact(elements / blockElements, (long) blockBytes);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("byte size overflows", e);
      }
    }
    long totalBits;
    try {
      totalBits = Math.multiplyExact(elements, (long) bits);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape size times bit width overflows", e);
    }
    if (totalBits % 8 != 0) {
      throw new IllegalArgumentException(
          elements + " elements of " + bits + " bits are not a whole number of bytes");
    }
    return totalBits / 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DType d && d.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** The canonical name. */
  @Override
  public String toString() {
    return name;
  }
}
