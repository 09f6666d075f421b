package dev.modelseal.formats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * What a tensor is, without its values: name, canonical dtype, shape (outermost first) and the
 * canonical byte length derived from them.
 *
 * <p>Immutable; validated on creation: the name is well-formed Unicode (no unpaired surrogates),
 * dimensions are non-negative, and the byte length is computed with overflow checks by {@link
 * DType#byteLength(long[])}.
 */
public final class TensorInfo {
  /** Tensor names in Unicode code point order (the order of their UTF-8 bytes). */
  public static final Comparator<String> NAME_ORDER = TensorInfo::compareCodePoints;

  private final String name;
  private final DType dtype;
  private final long[] shape;
  private final long byteLength;

  private TensorInfo(String name, DType dtype, long[] shape, long byteLength) {
    this.name = name;
    this.dtype = dtype;
    this.shape = shape;
    this.byteLength = byteLength;
  }

  /**
   * Creates a tensor description.
   *
   * @throws IllegalArgumentException when the name is not well-formed Unicode or the shape is
   *     invalid for the dtype
   */
  public static TensorInfo create(String name, DType dtype, long[] shape) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    checkName(name);
    long[] s = shape.clone();
    return new TensorInfo(name, dtype, s, dtype.byteLength(s));
  }

  private static void checkName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
          throw new IllegalArgumentException("tensor name has an unpaired surrogate");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("tensor name has an unpaired surrogate");
      }
    }
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** The tensor's name. */
  public String name() {
    return name;
  }

  /** The canonical dtype. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape, outermost dimension first; empty for a scalar. */
  public long[] shape() {
    return shape.clone();
  }

  /** The rank (number of dimensions). */
  public int rank() {
    return shape.length;
  }

  /** The number of elements (1 for a scalar). */
  public long elements() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The canonical byte length. */
  public long byteLength() {
    return byteLength;
  }

  /** True when both have the same shape. */
  public boolean sameShape(TensorInfo other) {
    return Arrays.equals(shape, other.shape);
  }

  /** The shape written {@code [2, 3]}. */
  public String shapeText() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(shape[i]);
    }
    return b.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && t.name.equals(name)
        && t.dtype.equals(dtype)
        && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  /** {@code name: dtype[shape]}. */
  @Override
  public String toString() {
    return name + ": " + dtype + shapeText();
  }
}
