package dev.modelseal.formats;

/**
 * Sizes a reader accepts from a file before allocating anything of that size. Immutable; the
 * defaults mirror the reference readers where they have a limit (safetensors: 100,000,000 header
 * bytes; numpy: 10,000 header bytes) and are generous elsewhere. {@link #toBuilder()} changes
 * several limits at once; each {@code with...} returns a copy with one limit changed.
 */
public final class ReadLimits {
  /** The largest byte array the JVM allocates: the ceiling of every in-memory limit. */
  public static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

  private static final ReadLimits DEFAULTS = new Builder().build();

  private final long safetensorsHeaderBytes;
  private final int tensors;
  private final int npyHeaderBytes;
  private final int zipEntries;
  private final long inMemoryTensorBytes;
  private final long indexBytes;
  private final long ggufStringBytes;
  private final long tableBytes;

  private ReadLimits(Builder b) {
    this.safetensorsHeaderBytes = b.safetensorsHeaderBytes;
    this.tensors = b.tensors;
    this.npyHeaderBytes = b.npyHeaderBytes;
    this.zipEntries = b.zipEntries;
    this.inMemoryTensorBytes = b.inMemoryTensorBytes;
    this.indexBytes = b.indexBytes;
    this.ggufStringBytes = b.ggufStringBytes;
    this.tableBytes = b.tableBytes;
  }

  /** The default limits. */
  public static ReadLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.safetensorsHeaderBytes = safetensorsHeaderBytes;
    b.tensors = tensors;
    b.npyHeaderBytes = npyHeaderBytes;
    b.zipEntries = zipEntries;
    b.inMemoryTensorBytes = inMemoryTensorBytes;
    b.indexBytes = indexBytes;
    b.ggufStringBytes = ggufStringBytes;
    b.tableBytes = tableBytes;
    return b;
  }

  /** Sets limits one by one, each checked when set; {@link #build()} makes the immutable limits. */
  public static final class Builder {
    private long safetensorsHeaderBytes = 100_000_000L;
    private int tensors = 1_000_000;
    private int npyHeaderBytes = 10_000;
    private int zipEntries = 65_536;
    private long inMemoryTensorBytes = 256L << 20;
    private long indexBytes = 64L << 20;
    private long ggufStringBytes = 4L << 20;
    private long tableBytes = Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 4);

    private Builder() {}

    /** The safetensors header limit (at most {@link #MAX_ARRAY} bytes). */
    public Builder safetensorsHeaderBytes(long n) {
      safetensorsHeaderBytes = array(n);
      return this;
    }

    /** The tensor count limit. */
    public Builder tensors(int n) {
      tensors = (int) positive(n);
      return this;
    }

    /** The in-memory tensor limit (at most {@link #MAX_ARRAY} bytes). */
    public Builder inMemoryTensorBytes(long n) {
      inMemoryTensorBytes = array(n);
      return this;
    }

    /**
     * The JSON index limit ({@code model.safetensors.index.json}, TF.js {@code model.json}; at most
     * {@link #MAX_ARRAY} bytes).
     */
    public Builder indexBytes(long n) {
      indexBytes = array(n);
      return this;
    }

    /** The GGUF string limit (at most {@link #MAX_ARRAY} bytes). */
    public Builder ggufStringBytes(long n) {
      ggufStringBytes = array(n);
      return this;
    }

    /** The tensor-table limit (see {@link ReadLimits#tableBytes()}). */
    public Builder tableBytes(long n) {
      tableBytes = positive(n);
      return this;
    }

    /** The limits. */
    public ReadLimits build() {
      return new ReadLimits(this);
    }
  }

  /** Largest safetensors JSON header (default 100,000,000 bytes, as the reference). */
  public long safetensorsHeaderBytes() {
    return safetensorsHeaderBytes;
  }

  /** Most tensors in one model (default 1,000,000). */
  public int tensors() {
    return tensors;
  }

  /** Largest .npy header (default 10,000 bytes, as {@code numpy.load}). */
  public int npyHeaderBytes() {
    return npyHeaderBytes;
  }

  /** Most members of an .npz archive (default 65,536). */
  public int zipEntries() {
    return zipEntries;
  }

  /**
   * Largest tensor held in memory: a column-major array that must be transposed and cannot be
   * memory-mapped (an .npz member). Default 256 MiB; memory-mapped transposes are limited to 2 GiB.
   */
  public long inMemoryTensorBytes() {
    return inMemoryTensorBytes;
  }

  /** Largest {@code model.safetensors.index.json} (default 64 MiB). */
  public long indexBytes() {
    return indexBytes;
  }

  /**
   * Longest GGUF metadata string (default 4 MiB); all of a file's metadata strings together may
   * hold four times this.
   */
  public long ggufStringBytes() {
    return ggufStringBytes;
  }

  /**
   * Most memory a reader may spend on the table it keeps of a file's tensors while opening it
   * (names, shapes, offsets), as estimated by {@link dev.modelseal.formats.internal.TableBudget}:
   * default a quarter of this JVM's maximum heap (at least 4 MiB), so that a header describing more
   * tensors than the heap can hold is refused with its counts instead of ending in {@code
   * OutOfMemoryError}. A quarter of the default heap holds millions of tensors; under {@code
   * -Xmx64m} about 80,000.
   */
  public long tableBytes() {
    return tableBytes;
  }

  /** A copy with another safetensors header limit (at most {@link #MAX_ARRAY} bytes). */
  public ReadLimits withSafetensorsHeaderBytes(long n) {
    return toBuilder().safetensorsHeaderBytes(n).build();
  }

  /** A copy with another tensor count limit. */
  public ReadLimits withTensors(int n) {
    return toBuilder().tensors(n).build();
  }

  /** A copy with another in-memory tensor limit (at most {@link #MAX_ARRAY} bytes). */
  public ReadLimits withInMemoryTensorBytes(long n) {
    return toBuilder().inMemoryTensorBytes(n).build();
  }

  /**
   * A copy with another JSON index limit ({@code model.safetensors.index.json}, TF.js {@code
   * model.json}; at most {@link #MAX_ARRAY} bytes).
   */
  public ReadLimits withIndexBytes(long n) {
    return toBuilder().indexBytes(n).build();
  }

  /** A copy with another GGUF string limit (at most {@link #MAX_ARRAY} bytes). */
  public ReadLimits withGgufStringBytes(long n) {
    return toBuilder().ggufStringBytes(n).build();
  }

  private static long array(long n) {
    if (positive(n) > MAX_ARRAY) {
      throw new IllegalArgumentException("a limit on an in-memory array must be <= " + MAX_ARRAY);
    }
    return n;
  }

  private static long positive(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("a limit must be positive");
    }
    return n;
  }
}
