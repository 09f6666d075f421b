package dev.modelseal.formats.flax;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.flax.FlaxTree.ArrayLeaf;
import dev.modelseal.formats.flax.FlaxTree.IntLeaf;
import dev.modelseal.formats.flax.FlaxTree.ListNode;
import dev.modelseal.formats.flax.FlaxTree.MapNode;
import dev.modelseal.formats.flax.FlaxTree.Node;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.RegionSource;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JAX/Flax msgpack checkpoint ({@code flax.serialization.to_bytes} or {@code
 * msgpack_serialize}) as the tensors {@code flax.serialization.msgpack_restore} returns: every
 * array (msgpack extension 1) and NumPy scalar (extension 3, a rank-0 tensor), named by its pytree
 * path, the map keys and array indices joined with {@code /}; arrays in flax's chunked form are
 * reassembled where flax reassembles them (maps reached through maps from the top).
 *
 * <p>Guarantee: the file is exactly one well-formed msgpack value; every array's data length is its
 * dtype and shape's canonical size and lies inside its extension; map keys are unique strings or
 * integers; nesting, key lengths, path lengths and the number of values are limited. The data is
 * read little-endian, as {@code from_bytes} reads it (flax writes an array's native bytes and
 * records only the dtype name). Python values that are not arrays (ints, floats, strings, bools,
 * None, complex numbers, bytes) are not tensors; they are counted in the metadata {@code
 * flax.other_values}.
 */
public final class FlaxReader {
  /** The key that marks flax's chunked form of a large array. */
  static final String CHUNKED = "__msgpack_chunked_array__";

  private static final Set<String> CHUNKED_KEYS = Set.of(CHUNKED, "shape", "chunks");

  private final Path file;
  private final FileChannel channel;
  private final List<TensorSource> tensors = new ArrayList<>();
  private int others;
  private int chunked;

  private FlaxReader(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return ReadChannel.read(file, (ch, size) -> read(file, ch, size, limits));
  }

  private static TensorModel read(Path file, FileChannel ch, long size, ReadLimits limits)
      throws ModelsealException {
    if (size == 0) {
      throw new MalformedModelException(file, "the file is empty, not a msgpack value");
    }
    Node root = FlaxTree.parse(MsgpackInput.of(ch, file, size), file, limits.tensors());
    FlaxReader r = new FlaxReader(file, ch);
    r.collect(root, "", true, limits);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("flax.other_values", Integer.toString(r.others));
    if (r.chunked > 0) {
      meta.put("flax.chunked_arrays", Integer.toString(r.chunked));
    }
    return TensorModel.of(file, Format.FLAX, r.tensors, meta, List.of(ch));
  }

  /**
   * Collects the tensors under {@code n}; {@code unchunk} says whether a map here in the chunked
   * form is one array (flax's {@code _unchunk_array_leaves_in_place} looks at the top value and
   * through maps, never inside lists).
   */
  private void collect(Node n, String path, boolean unchunk, ReadLimits limits)
      throws ModelsealException {
    if (n instanceof MapNode m) {
      if (unchunk && m.keys().contains(CHUNKED)) {
        add(chunked(m, path), limits);
        return;
      }
      for (int i = 0; i < m.keys().size(); i++) {
        collect(m.values().get(i), join(path, m.keys().get(i)), unchunk, limits);
      }
    } else if (n instanceof ListNode l) {
      for (int i = 0; i < l.items().size(); i++) {
        collect(l.items().get(i), join(path, Integer.toString(i)), false, limits);
      }
    } else if (n instanceof ArrayLeaf a) {
      add(new RegionSource(info(path, a, a.shape()), channel, file, a.offset(), false), limits);
    } else {
      others++;
    }
  }

  private static String join(String path, String part) {
    return path.isEmpty() ? part : path + "/" + part;
  }

  private void add(TensorSource s, ReadLimits limits) throws LimitExceededException {
    tensors.add(s);
    LimitExceededException.check(file, "the number of tensors", tensors.size(), limits.tensors());
  }

  private TensorInfo info(String path, ArrayLeaf a, long[] shape) throws MalformedModelException {
    try {
      return TensorInfo.create(path, a.dtype(), shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(
          file, "the array at " + Quote.of(path) + ": " + e.getMessage());
    }
  }

  /** The one tensor of a map in flax's chunked form, as {@code flax.serialization._unchunk}. */
  private TensorSource chunked(MapNode m, String path) throws ModelsealException {
    String what = "the chunked array at " + Quote.of(path);
    if (!CHUNKED_KEYS.containsAll(m.keys()) || m.get("shape") == null || m.get("chunks") == null) {
      throw new UnsupportedModelException(
          file, what + " must have exactly the keys " + CHUNKED + ", shape and chunks");
    }
    List<Node> dims = tuple(m.get("shape"), what + ": its shape");
    List<Node> parts = tuple(m.get("chunks"), what + ": its chunks");
    if (parts.isEmpty()) {
      throw new MalformedModelException(file, what + " has no chunks");
    }
    long[] shape = new long[dims.size()];
    if (shape.length > FlaxTree.MAX_RANK) {
      throw new LimitExceededException(file, what + ": its rank", shape.length, FlaxTree.MAX_RANK);
    }
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof IntLeaf d) || d.big() || d.value() < 0) {
        throw new MalformedModelException(
            file, what + ": dimension " + i + " is not an integer in 0..2^63-1");
      }
      shape[i] = d.value();
    }
    List<ChunkedSource.Region> regions = new ArrayList<>();
    ArrayLeaf first = null;
    long elements = 0;
    for (int i = 0; i < parts.size(); i++) {
      if (!(parts.get(i) instanceof ArrayLeaf a) || a.shape().length != 1) {
        throw new MalformedModelException(file, what + ": chunk " + i + " is not a 1-D array");
      }
      if (first == null) {
        first = a;
      } else if (!a.dtype().equals(first.dtype())) {
        throw new MalformedModelException(
            file, what + ": chunk " + i + " is " + a.dtype() + ", not " + first.dtype());
      }
      elements += a.shape()[0];
      regions.add(new ChunkedSource.Region(a.offset(), a.length()));
    }
    TensorInfo info = info(path, first, shape);
    if (info.elements() != elements) {
      throw new MalformedModelException(
          file,
          what
              + " has shape "
              + info.shapeText()
              + " but its chunks hold "
              + elements
              + " elements");
    }
    chunked++;
    return new ChunkedSource(info, channel, file, regions);
  }

  /** The values of a map {"0": v0, "1": v1, ...}, as flax's {@code _dict_to_tuple} reads it. */
  private List<Node> tuple(Node node, String what) throws MalformedModelException {
    if (!(node instanceof MapNode m)) {
      throw new MalformedModelException(file, what + " is not a map");
    }
    int n = m.keys().size();
    Node[] out = new Node[n];
    for (int k = 0; k < n; k++) {
      int i = index(m.keys().get(k), n);
      if (i < 0) {
        throw new MalformedModelException(
            file,
            what + " has the key " + Quote.of(m.keys().get(k)) + ", not one of 0.." + (n - 1));
      }
      out[i] = m.values().get(k);
    }
    return List.of(out);
  }

  /** {@code key} as {@code str(i)} writes an index below {@code n}, or -1. */
  private static int index(String key, int n) {
    if (key.isEmpty() || key.length() > 10 || (key.length() > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v < n ? (int) v : -1;
  }
}
