package dev.modelseal.formats.pickle;

import java.util.List;

/**
 * The layout of one NumPy array that {@code joblib.dump} writes inline after the {@code BUILD} of
 * its {@code joblib.numpy_pickle.NumpyArrayWrapper}, as joblib's {@code NumpyUnpickler} reads it
 * ({@code NumpyArrayWrapper.read_array}): when the wrapper's state has {@code
 * numpy_array_alignment_bytes} (joblib 1.2 and later) one byte giving a padding length and that
 * many padding bytes, then {@code prod(shape) * itemsize} bytes of data in the wrapper's {@code
 * order}; for an object dtype instead a nested pickle (of protocol 5) that joblib loads with a
 * fresh unpickler. Shared by the tensor reader and the scanner, so both step over the same bytes.
 * Immutable; the wrapper's state is checked here, not trusted.
 */
public final class JoblibArray {
  /**
   * The modules that define {@code NumpyArrayWrapper} (joblib, and the copy vendored in sklearn).
   */
  public static final List<String> MODULES =
      List.of("joblib.numpy_pickle", "sklearn.externals.joblib.numpy_pickle");

  /** The wrapper's class name. */
  public static final String WRAPPER = "NumpyArrayWrapper";

  private final long[] shape;
  private final String kind;
  private final long itemSize;
  private final boolean fortran;
  private final boolean padded;
  private final long dataBytes;

  private JoblibArray(
      long[] shape, String kind, long itemSize, boolean fortran, boolean padded, long dataBytes) {
    this.shape = shape;
    this.kind = kind;
    this.itemSize = itemSize;
    this.fortran = fortran;
    this.padded = padded;
    this.dataBytes = dataBytes;
  }

  /** True for {@code module.name} naming the wrapper class. */
  public static boolean isWrapper(String module, String name) {
    return WRAPPER.equals(name) && MODULES.contains(module);
  }

  /**
   * The layout from the wrapper's state.
   *
   * @param shape the {@code shape} entry: non-negative integers
   * @param descr the dtype's first reduce argument ({@code 'f8'}, {@code 'U40'}, {@code 'O8'}...)
   * @param elsize the element size of the dtype's state (its sixth item), or -1 when absent
   * @param order the {@code order} entry, {@code "C"} or {@code "F"}
   * @param padded true when the state has a {@code numpy_array_alignment_bytes} that is not None
   * @throws IllegalArgumentException with a short reason when the state does not describe an array
   *     joblib can read
   */
  public static JoblibArray of(
      List<?> shape, String descr, long elsize, String order, boolean padded) {
    if (shape.size() > 64) {
      throw new IllegalArgumentException("array has " + shape.size() + " dimensions");
    }
    long[] dims = new long[shape.size()];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      if (!(shape.get(i) instanceof Long d) || d < 0) {
        throw new IllegalArgumentException("array shape holds something not a size");
      }
      dims[i] = d;
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("array shape overflows", e);
      }
    }
    int k = 0;
    while (k < descr.length() && Character.isLetter(descr.charAt(k))) {
      k++;
    }
    String kind = descr.substring(0, k);
    long size = -1;
    if (k < descr.length() && descr.length() - k <= 9) {
      size = 0;
      for (int i = k; i < descr.length(); i++) {
        char c = descr.charAt(i);
        if (c < '0' || c > '9') {
          throw new IllegalArgumentException("dtype '" + short40(descr) + "' is not sized");
        }
        size = size * 10 + (c - '0');
      }
    }
    if (elsize > 0) {
      size = elsize; // flexible and structured dtypes carry their size in the state
    }
    if (kind.isEmpty() || size <= 0) {
      throw new IllegalArgumentException("dtype '" + short40(descr) + "' is not sized");
    }
    if (!"C".equals(order) && !"F".equals(order)) {
      throw new IllegalArgumentException("array order is neither C nor F");
    }
    long bytes;
    try {
      bytes = Math.multiplyExact(count, size);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("array size overflows", e);
    }
    return new JoblibArray(dims, kind, size, "F".equals(order), padded, bytes);
  }

  private static String short40(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** True for an object dtype: the data is a nested pickle, not bytes. */
  public boolean objects() {
    return "O".equals(kind);
  }

  /** True when a padding-length byte and padding precede the data. */
  public boolean padded() {
    return padded;
  }

  /** The bytes of data after the padding (for an object dtype: none, a pickle follows). */
  public long dataBytes() {
    return objects() ? 0 : dataBytes;
  }

  /** The dtype's kind letters ({@code f}, {@code i}, {@code u}, {@code b}, {@code c}, ...). */
  public String kind() {
    return kind;
  }

  /** Bytes per element. */
  public long itemSize() {
    return itemSize;
  }

  /** The shape (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** True when the data is in column-major order. */
  public boolean fortran() {
    return fortran;
  }
}
