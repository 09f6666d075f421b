package dev.modelseal.formats;

/**
 * Sizes a reader accepts from a file before allocating anything of that size. Immutable; the
 * defaults mirror the reference readers where they have a limit (safetensors: 100,000,000 header
 * bytes; numpy: 10,000 header bytes) and are generous elsewhere. Each {@code with...} returns a
 * copy with one limit changed.
 */
public final class ReadLimits {
  /** The largest byte array the JVM allocates: the ceiling of every in-memory limit. */
  public static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

  private static final ReadLimits DEFAULTS =
      new ReadLimits(100_000_000L, 1_000_000, 10_000, 65_536, 256L << 20, 64L << 20, 64L << 20);

  private final long safetensorsHeaderBytes;
  private final int tensors;
  private final int npyHeaderBytes;
  private final int zipEntries;
  private final long inMemoryTensorBytes;
  private final long indexBytes;
  private final long ggufStringBytes;

  private ReadLimits(
      long safetensorsHeaderBytes,
      int tensors,
      int npyHeaderBytes,
      int zipEntries,
      long inMemoryTensorBytes,
      long indexBytes,
      long ggufStringBytes) {
    this.safetensorsHeaderBytes = safetensorsHeaderBytes;
    this.tensors = tensors;
    this.npyHeaderBytes = npyHeaderBytes;
    this.zipEntries = zipEntries;
    this.inMemoryTensorBytes = inMemoryTensorBytes;
    this.indexBytes = indexBytes;
    this.ggufStringBytes = ggufStringBytes;
  }

  /** The default limits. */
  public static ReadLimits defaults() {
    return DEFAULTS;
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

  /** Longest GGUF string (default 64 MiB). */
  public long ggufStringBytes() {
    return ggufStringBytes;
  }

  /** A copy with another safetensors header limit (at most {@link #MAX_ARRAY} bytes). */
  public ReadLimits withSafetensorsHeaderBytes(long n) {
    return new ReadLimits(
        array(n),
        tensors,
        npyHeaderBytes,
        zipEntries,
        inMemoryTensorBytes,
        indexBytes,
        ggufStringBytes);
  }

  /** A copy with another tensor count limit. */
  public ReadLimits withTensors(int n) {
    return new ReadLimits(
        safetensorsHeaderBytes,
        (int) positive(n),
        npyHeaderBytes,
        zipEntries,
        inMemoryTensorBytes,
        indexBytes,
        ggufStringBytes);
  }

  /** A copy with another in-memory tensor limit (at most {@link #MAX_ARRAY} bytes). */
  public ReadLimits withInMemoryTensorBytes(long n) {
    return new ReadLimits(
        safetensorsHeaderBytes,
        tensors,
        npyHeaderBytes,
        zipEntries,
        array(n),
        indexBytes,
        ggufStringBytes);
  }

  /**
   * A copy with another JSON index limit ({@code model.safetensors.index.json}, TF.js {@code
   * model.json}; at most {@link #MAX_ARRAY} bytes).
   */
  public ReadLimits withIndexBytes(long n) {
    return new ReadLimits(
        safetensorsHeaderBytes,
        tensors,
        npyHeaderBytes,
        zipEntries,
        inMemoryTensorBytes,
        array(n),
        ggufStringBytes);
  }

  /** A copy with another GGUF string limit (at most {@link #MAX_ARRAY} bytes). */
  public ReadLimits withGgufStringBytes(long n) {
    return new ReadLimits(
        safetensorsHeaderBytes,
        tensors,
        npyHeaderBytes,
        zipEntries,
        inMemoryTensorBytes,
        indexBytes,
        array(n));
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
