package dev.modelseal.formats.flax;

import dev.modelseal.ModelIoException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.flax.MsgpackInput.Header;
import dev.modelseal.formats.flax.MsgpackInput.Kind;
import dev.modelseal.formats.internal.Utf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structure of a flax msgpack file without its array data: maps, arrays and leaves, each array
 * extension reduced to its dtype, shape and where its bytes lie. Built by {@link #parse}, which
 * reads the whole file once and checks it is exactly one well-formed msgpack value.
 */
final class FlaxTree {
  /** Deepest nesting of maps and arrays accepted (flax state dicts are a few levels deep). */
  static final int MAX_DEPTH = 128;

  /** Longest map key, in bytes. */
  static final int MAX_KEY_BYTES = 64 * 1024;

  /** Longest tensor path ('/'-joined keys), in chars. */
  static final int MAX_PATH_CHARS = 64 * 1024;

  /** Most key bytes in the whole file (the keys are held while the file is open). */
  static final long MAX_KEY_TOTAL = 16L << 20;

  /** Highest rank of an array (NumPy's limit). */
  static final int MAX_RANK = 64;

  /** The numpy dtype names ({@code arr.dtype.name}) flax writes that have a canonical form. */
  private static final Map<String, DType> DTYPES =
      Map.ofEntries(
          Map.entry("bool", DType.BOOL),
          Map.entry("uint8", DType.UINT8),
          Map.entry("int8", DType.INT8),
          Map.entry("uint16", DType.UINT16),
          Map.entry("int16", DType.INT16),
          Map.entry("uint32", DType.UINT32),
          Map.entry("int32", DType.INT32),
          Map.entry("uint64", DType.UINT64),
          Map.entry("int64", DType.INT64),
          Map.entry("float16", DType.FLOAT16),
          Map.entry("bfloat16", DType.BFLOAT16),
          Map.entry("float32", DType.FLOAT32),
          Map.entry("float64", DType.FLOAT64),
          Map.entry("complex64", DType.COMPLEX64),
          Map.entry("complex128", DType.COMPLEX128),
          Map.entry("float8_e5m2", DType.FLOAT8_E5M2),
          Map.entry("float8_e4m3fn", DType.FLOAT8_E4M3FN),
          Map.entry("float8_e8m0fnu", DType.FLOAT8_E8M0FNU),
          Map.entry("float8_e4m3fnuz", DType.FLOAT8_E4M3FNUZ),
          Map.entry("float8_e5m2fnuz", DType.FLOAT8_E5M2FNUZ));

  /** A node of the tree. */
  sealed interface Node permits MapNode, ListNode, ArrayLeaf, IntLeaf, OtherLeaf {}

  /** A msgpack map: keys (str as stored, int as decimal) in file order, and their values. */
  record MapNode(List<String> keys, List<Node> values) implements Node {
    Node get(String key) {
      int i = keys.indexOf(key);
      return i < 0 ? null : values.get(i);
    }
  }

  /** A msgpack array. */
  record ListNode(List<Node> items) implements Node {}

  /** An array extension: {@code length} bytes at {@code offset} hold the row-major values. */
  record ArrayLeaf(DType dtype, long[] shape, long offset, long length) implements Node {}

  /** An integer (for the shape of a chunked array); {@code big} when over the int64 range. */
  record IntLeaf(long value, boolean big) implements Node {}

  /** Any other leaf: not a tensor. */
  record OtherLeaf(String kind) implements Node {
    static final OtherLeaf STR = new OtherLeaf("str");
    static final OtherLeaf BIN = new OtherLeaf("bin");
    static final OtherLeaf SCALAR = new OtherLeaf("scalar");
    static final OtherLeaf COMPLEX = new OtherLeaf("complex");
  }

  private final MsgpackInput in;
  private final Path file;
  private final int maxNodes;
  private int nodes;
  private long keyBytes;

  private FlaxTree(MsgpackInput in, Path file, int maxNodes) {
    this.in = in;
    this.file = file;
    this.maxNodes = maxNodes;
  }

  /**
   * Parses the single msgpack value that is the whole of {@code in}; at most {@code maxNodes}
   * values in all.
   */
  static Node parse(MsgpackInput in, Path file, int maxNodes)
      throws MalformedModelException,
          UnsupportedModelException,
          LimitExceededException,
          ModelIoException {
    FlaxTree t = new FlaxTree(in, file, maxNodes);
    Node root = t.value(0, "");
    if (in.remaining() != 0) {
      throw new MalformedModelException(
          file,
          "the msgpack value ends at offset "
              + in.position()
              + " but the file has "
              + in.remaining()
              + " more bytes");
    }
    return root;
  }

  private static String where(String path) {
    return path.isEmpty() ? "the top-level value" : "the value at " + Quote.of(path);
  }

  private Node value(int depth, String path)
      throws MalformedModelException,
          UnsupportedModelException,
          LimitExceededException,
          ModelIoException {
    if (++nodes > maxNodes) {
      throw new LimitExceededException(file, "the number of msgpack values", nodes, maxNodes);
    }
    Header h = in.header(where(path));
    switch (h.kind()) {
      case MAP:
        return map(h.length(), depth, path);
      case ARRAY:
        checkDepth(depth, path);
        List<Node> items = new ArrayList<>();
        for (long i = 0; i < h.length(); i++) {
          items.add(value(depth + 1, join(path, Long.toString(i))));
        }
        return new ListNode(items);
      case EXT:
        return ext(h, path);
      case INT:
        return new IntLeaf(h.value(), h.unsigned64());
      case STR:
      case BIN:
        in.skip(h.length(), where(path));
        return h.kind() == Kind.STR ? OtherLeaf.STR : OtherLeaf.BIN;
      default:
        return OtherLeaf.SCALAR;
    }
  }

  private void checkDepth(int depth, String path) throws LimitExceededException {
    if (depth >= MAX_DEPTH) {
      throw new LimitExceededException(
          file, "the nesting of maps and arrays at " + Quote.of(path), depth + 1, MAX_DEPTH);
    }
  }

  private Node map(long count, int depth, String path)
      throws MalformedModelException,
          UnsupportedModelException,
          LimitExceededException,
          ModelIoException {
    checkDepth(depth, path);
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (long i = 0; i < count; i++) {
      String key = key(path);
      if (!seen.add(key)) {
        throw new MalformedModelException(
            file, "a map at " + Quote.of(path) + " has the key " + Quote.of(key) + " twice");
      }
      keys.add(key);
      values.add(value(depth + 1, join(path, key)));
    }
    return new MapNode(keys, values);
  }

  private String key(String path)
      throws MalformedModelException,
          UnsupportedModelException,
          LimitExceededException,
          ModelIoException {
    String what = "a map key under " + Quote.of(path);
    Header h = in.header(what);
    if (h.kind() == Kind.INT) {
      return h.unsigned64() ? Long.toUnsignedString(h.value()) : Long.toString(h.value());
    }
    if (h.kind() != Kind.STR) {
      throw new UnsupportedModelException(
          file,
          what
              + " is a msgpack "
              + h.kind().name().toLowerCase(java.util.Locale.ROOT)
              + "; tensor paths are made of string and integer keys");
    }
    byte[] b = in.bytes(h.length(), MAX_KEY_BYTES, what);
    keyBytes += b.length;
    LimitExceededException.check(file, "the total length of the map keys", keyBytes, MAX_KEY_TOTAL);
    try {
      return Utf8.decode(b);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, what + " is not valid UTF-8");
    }
  }

  private String join(String path, String part) throws LimitExceededException {
    LimitExceededException.check(
        file,
        "the length of the path under " + Quote.of(path),
        (long) path.length() + 1 + part.length(),
        MAX_PATH_CHARS);
    return path.isEmpty() ? part : path + "/" + part;
  }

  private Node ext(Header h, String path)
      throws MalformedModelException,
          UnsupportedModelException,
          LimitExceededException,
          ModelIoException {
    long end = in.position() + h.length();
    int type = h.extType();
    if (type == 2) {
      in.skip(h.length(), where(path));
      return OtherLeaf.COMPLEX;
    }
    if (type != 1 && type != 3) {
      throw new UnsupportedModelException(
          file,
          where(path)
              + " is a msgpack extension of type "
              + type
              + ", which flax does not write (1 array, 2 complex, 3 NumPy scalar)");
    }
    String what = "the array at " + Quote.of(path);
    Header t = in.header(what);
    if (t.kind() != Kind.ARRAY || t.length() != 3) {
      throw new MalformedModelException(file, what + " is not a (shape, dtype, data) triple");
    }
    Header sh = in.header(what + ": its shape");
    if (sh.kind() != Kind.ARRAY) {
      throw new MalformedModelException(file, what + ": its shape is not a msgpack array");
    }
    LimitExceededException.check(file, what + ": its rank", sh.length(), MAX_RANK);
    long[] shape = new long[(int) sh.length()];
    for (int i = 0; i < shape.length; i++) {
      Header d = in.header(what + ": its shape");
      if (d.kind() != Kind.INT || d.value() < 0 || d.unsigned64()) {
        throw new MalformedModelException(
            file, what + ": dimension " + i + " is not an integer in 0..2^63-1");
      }
      shape[i] = d.value();
    }
    if (type == 3 && shape.length != 0) {
      throw new MalformedModelException(file, what + " is a NumPy scalar with a non-empty shape");
    }
    Header dt = in.header(what + ": its dtype");
    if (dt.kind() != Kind.STR && dt.kind() != Kind.BIN) {
      throw new MalformedModelException(file, what + ": its dtype is not a name");
    }
    byte[] nameBytes = in.bytes(dt.length(), 64, what + ": its dtype name");
    String dtypeName = new String(nameBytes, StandardCharsets.ISO_8859_1);
    DType dtype = DTYPES.get(dtypeName);
    if (dtype == null) {
      throw new UnsupportedModelException(
          file, what + " has dtype " + Quote.of(dtypeName) + ", which has no canonical form");
    }
    long want;
    try {
      want = dtype.byteLength(shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, what + ": " + e.getMessage());
    }
    Header data = in.header(what + ": its data");
    if (data.kind() != Kind.BIN && data.kind() != Kind.STR) {
      throw new MalformedModelException(file, what + ": its data is not a msgpack binary");
    }
    long offset = in.position();
    if (data.length() != want) {
      throw new MalformedModelException(
          file,
          what
              + " is "
              + dtypeName
              + shapeText(shape)
              + ", "
              + want
              + " bytes, but holds "
              + data.length()
              + " bytes of data");
    }
    if (offset + data.length() != end) {
      throw new MalformedModelException(
          file, what + ": the (shape, dtype, data) triple does not fill its extension exactly");
    }
    in.skip(data.length(), what);
    return new ArrayLeaf(dtype, shape, offset, data.length());
  }

  static String shapeText(long[] shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return b.append(']').toString();
  }
}
