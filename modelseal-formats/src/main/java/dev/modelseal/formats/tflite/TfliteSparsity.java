package dev.modelseal.formats.tflite;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.UnsupportedModelException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparsity parameters of a TFLite tensor ({@code Tensor.sparsity}: {@code traversal_order},
 * {@code block_map}, {@code dim_metadata}) and the densification TFLite's {@code
 * FormatConverter::SparseToDense} performs: the stored values are visited in traversal order,
 * {@code DENSE} levels over {@code 0..dense_size-1}, {@code SPARSE_CSR} levels over {@code
 * array_indices[array_segments[p] .. array_segments[p+1]]} for the parent position {@code p}; each
 * leaf takes the next stored value; a block level refines the index of the dimension {@code
 * block_map} names ({@code index * block_size + inner}). Positions not visited are zero.
 *
 * <p>Guarantee: when made, {@code traversal_order} is a permutation of the tensor's dimensions
 * followed by a permutation of its block dimensions, {@code block_map} names distinct dimensions
 * that its block sizes divide, block levels are {@code DENSE}, every {@code DENSE} level's size is
 * its dimension's, every index vector has at most {@link TfliteReader#MAX_ITEMS} entries, every CSR
 * level has one segment per position of the level above (plus its end), the last level's positions
 * are exactly the stored values, and the dense tensor fits {@link
 * ReadLimits#inMemoryTensorBytes()}: all before any dense memory is allocated. While densifying,
 * every segment is in order and inside its index vector, every index inside its dimension, and
 * exactly the stored values are placed; anything else fails closed.
 */
final class TfliteSparsity {
  private static final int DENSE = 0;
  private static final int SPARSE_CSR = 1;

  private final Path file;
  private final String name;
  private final long[] shape;
  private final int[] order;
  private final int[] blockMap;
  private final int[] blockSize;
  private final long[] expanded;
  private final Level[] levels;

  /** One traversal level: DENSE of a size, or SPARSE_CSR with its segments and indices. */
  private record Level(boolean dense, long size, int[] segments, int[] indices) {}

  private TfliteSparsity(
      Path file,
      String name,
      long[] shape,
      int[] order,
      int[] blockMap,
      int[] blockSize,
      long[] expanded,
      Level[] levels) {
    this.file = file;
    this.name = name;
    this.shape = shape;
    this.order = order;
    this.blockMap = blockMap;
    this.blockSize = blockSize;
    this.expanded = expanded;
    this.levels = levels;
  }

  /** Reads and checks the {@code SparsityParameters} table {@code sp} of tensor {@code name}. */
  static TfliteSparsity read(
      FlatInput in,
      FlatInput.Table sp,
      Path file,
      String name,
      long[] shape,
      long denseBytes,
      long storedValues,
      ReadLimits limits)
      throws ModelsealException {
    String what = "the sparsity of " + Quoted.of(name);
    LimitExceededException.check(
        file,
        "the dense size of sparse " + Quoted.of(name),
        denseBytes,
        limits.inMemoryTensorBytes());
    int n = shape.length;
    int[] order = ints(in, sp, 0, file, what + " traversal_order");
    int[] blockMap = ints(in, sp, 1, file, what + " block_map");
    int k = blockMap.length;
    if (order.length != n + k) {
      throw new MalformedModelException(
          file,
          what
              + ": traversal_order has "
              + order.length
              + " entries, not rank + blocks "
              + (n + k));
    }
    boolean[] seen = new boolean[n + k];
    for (int i = 0; i < order.length; i++) {
      int d = order[i];
      boolean inRange = i < n ? d >= 0 && d < n : d >= n && d < n + k;
      if (!inRange || seen[d]) {
        throw new MalformedModelException(
            file,
            what + ": traversal_order is not a permutation of the dimensions, then the blocks");
      }
      seen[d] = true;
    }
    boolean[] blocked = new boolean[n];
    for (int b : blockMap) {
      if (b < 0 || b >= n || blocked[b]) {
        throw new MalformedModelException(
            file, what + ": block_map names " + b + ", not a distinct dimension of " + n);
      }
      blocked[b] = true;
    }
    FlatInput.Vec dims = in.vector(sp, 2, 4, what + " dim_metadata");
    if (dims.length() != n + k) {
      throw new MalformedModelException(
          file, what + ": dim_metadata has " + dims.length() + " entries, not " + (n + k));
    }
    Level[] levels = new Level[n + k];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = level(in, in.tableAt(dims, i, what + " dim_metadata " + i), file, what, i);
    }
    int[] blockSize = new int[k];
    long[] expanded = new long[n + k];
    System.arraycopy(shape, 0, expanded, 0, n);
    for (int b = 0; b < k; b++) {
      Level lv = levels[position(order, n + b)];
      if (!lv.dense() || lv.size() <= 0 || lv.size() > Integer.MAX_VALUE) {
        throw new UnsupportedModelException(
            file, what + ": block dimension " + b + " is not a DENSE level of positive size");
      }
      blockSize[b] = (int) lv.size();
      if (shape[blockMap[b]] % blockSize[b] != 0) {
        throw new MalformedModelException(
            file,
            what + ": block size " + blockSize[b] + " does not divide dimension " + blockMap[b]);
      }
      expanded[blockMap[b]] = shape[blockMap[b]] / blockSize[b];
      expanded[n + b] = blockSize[b];
    }
    for (int i = 0; i < levels.length; i++) {
      if (levels[i].dense() && levels[i].size() != expanded[order[i]]) {
        throw new MalformedModelException(
            file,
            what
                + ": level "
                + i
                + " is DENSE of "
                + levels[i].size()
                + " but its dimension has "
                + expanded[order[i]]);
      }
    }
    // the positions each level holds: a DENSE level multiplies them, a CSR level has one segment
    // per parent position (plus its end) and as many positions as its last segment ends at
    long positions = 1;
    for (int i = 0; i < levels.length; i++) {
      Level lv = levels[i];
      if (lv.dense()) {
        positions *= lv.size();
        continue;
      }
      if (lv.segments().length != positions + 1) {
        throw new MalformedModelException(
            file,
            what
                + ": level "
                + i
                + " has "
                + lv.segments().length
                + " segments for "
                + positions
                + " parent positions");
      }
      positions = lv.segments()[(int) positions];
      if (positions < 0 || positions > lv.indices().length) {
        throw new MalformedModelException(
            file, what + ": level " + i + "'s segments end outside its indices");
      }
    }
    if (positions != storedValues) {
      throw new MalformedModelException(
          file,
          what
              + ": the sparsity places "
              + positions
              + " values but the buffer stores "
              + storedValues);
    }
    return new TfliteSparsity(file, name, shape, order, blockMap, blockSize, expanded, levels);
  }

  private static int position(int[] order, int dim) {
    for (int i = 0; i < order.length; i++) {
      if (order[i] == dim) {
        return i;
      }
    }
    throw new IllegalStateException("checked to be a permutation");
  }

  private static Level level(FlatInput in, FlatInput.Table d, Path file, String what, int i)
      throws ModelsealException {
    String w = what + " dim_metadata " + i;
    long ff = in.field(d, 0, 1, w + " format");
    int format = ff < 0 ? DENSE : in.u8(ff, w + " format");
    if (format == DENSE) {
      long sf = in.field(d, 1, 4, w + " dense_size");
      long size = sf < 0 ? 0 : in.i32(sf, w + " dense_size");
      return new Level(true, size, null, null);
    }
    if (format != SPARSE_CSR) {
      throw new UnsupportedModelException(file, w + " has format " + format + ", not DENSE or CSR");
    }
    return new Level(
        false,
        0,
        indexVector(in, d, 2, file, w + " array_segments"),
        indexVector(in, d, 4, file, w + " array_indices"));
  }

  /** A {@code SparseIndexVector} union: its type at field {@code id}, its table at {@code id+1}. */
  private static int[] indexVector(FlatInput in, FlatInput.Table d, int id, Path file, String what)
      throws ModelsealException {
    long tf = in.field(d, id, 1, what + " type");
    int type = tf < 0 ? 0 : in.u8(tf, what + " type");
    FlatInput.Table t = in.tableField(d, id + 1, what);
    if (type < 1 || type > 3 || t == null) {
      throw new MalformedModelException(
          file, what + " is not an Int32Vector, Uint16Vector or Uint8Vector");
    }
    int width = type == 1 ? 4 : type == 2 ? 2 : 1;
    FlatInput.Vec v = in.vector(t, 0, width, what + " values");
    LimitExceededException.check(file, "the length of " + what, v.length(), TfliteReader.MAX_ITEMS);
    int[] out = new int[(int) v.length()];
    for (int i = 0; i < out.length; i++) {
      long p = v.start() + (long) width * i;
      out[i] = width == 4 ? in.i32(p, what) : width == 2 ? in.u16(p, what) : in.u8(p, what);
    }
    return out;
  }

  private static int[] ints(FlatInput in, FlatInput.Table t, int id, Path file, String what)
      throws ModelsealException {
    FlatInput.Vec v = in.vector(t, id, 4, what);
    LimitExceededException.check(file, "the length of " + what, v.length(), 128);
    int[] out = new int[(int) v.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.i32(v.start() + 4L * i, what);
    }
    return out;
  }

  /**
   * The dense, row-major tensor of {@code denseBytes} bytes that the stored {@code values}
   * (elements of {@code width} bytes) describe.
   */
  ByteBuffer densify(byte[] values, int width, long denseBytes) throws MalformedModelException {
    if (values.length % width != 0) {
      throw malformed("the stored values are not a whole number of elements");
    }
    Walk w = new Walk(values, width, new byte[(int) denseBytes]);
    w.level(0, 0);
    if (w.next != values.length / width) {
      throw malformed(
          "the sparsity places "
              + w.next
              + " values but the buffer stores "
              + values.length / width);
    }
    return ByteBuffer.wrap(w.dense);
  }

  private MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, "sparse tensor " + Quoted.of(name) + ": " + reason);
  }

  /** One densification: the traversal indices so far and the next stored value. */
  private final class Walk {
    final byte[] values;
    final int width;
    final byte[] dense;
    final long[] index = new long[order.length];
    final long[] orig = new long[shape.length];
    int next;

    Walk(byte[] values, int width, byte[] dense) {
      this.values = values;
      this.width = width;
      this.dense = dense;
    }

    void level(int l, long parent) throws MalformedModelException {
      if (l == order.length) {
        leaf();
        return;
      }
      Level lv = levels[l];
      int dim = order[l];
      if (lv.dense()) {
        for (long i = 0; i < lv.size(); i++) {
          index[dim] = i;
          level(l + 1, parent * lv.size() + i);
        }
        return;
      }
      int[] seg = lv.segments();
      if (parent < 0 || parent + 1 >= seg.length) {
        throw malformed("level " + l + " has no segment for position " + parent);
      }
      int from = seg[(int) parent];
      int to = seg[(int) parent + 1];
      if (from < 0 || to < from || to > lv.indices().length) {
        throw malformed("level " + l + " has a segment out of order or outside its indices");
      }
      for (int i = from; i < to; i++) {
        long at = lv.indices()[i];
        if (at < 0 || at >= expanded[dim]) {
          throw malformed(
              "level " + l + " has index " + at + " outside its dimension of " + expanded[dim]);
        }
        index[dim] = at;
        level(l + 1, i);
      }
    }

    private void leaf() throws MalformedModelException {
      int n = shape.length;
      System.arraycopy(index, 0, orig, 0, n);
      for (int b = 0; b < blockMap.length; b++) {
        orig[blockMap[b]] = orig[blockMap[b]] * blockSize[b] + index[n + b];
      }
      long linear = 0;
      for (int d = 0; d < n; d++) {
        linear = linear * shape[d] + orig[d];
      }
      if ((long) (next + 1) * width > values.length) {
        throw malformed("the sparsity addresses more values than the buffer stores");
      }
      System.arraycopy(values, next * width, dense, (int) (linear * width), width);
      next++;
    }
  }
}
