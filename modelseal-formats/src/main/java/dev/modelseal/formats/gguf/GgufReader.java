package dev.modelseal.formats.gguf;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.internal.LeInput;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.internal.Utf8;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads GGUF v2 and v3 files.
 *
 * <p>Guarantee: a returned file has the {@code GGUF} magic and version 2 or 3; unique keys and
 * tensor names; strings that are UTF-8 and inside the file; no nested arrays; a power-of-two {@code
 * general.alignment} (u32); tensor names under 64 bytes, at most 4 dims, known ggml types with the
 * innermost dimension a multiple of the block; tensor offsets exactly the running sum of the padded
 * sizes in info order; tensor data inside the file and nothing after the last padded tensor. Every
 * count and length is checked against the bytes left in the file (and {@link ReadLimits}) before
 * allocating. Only the header is read when opening.
 */
public final class GgufReader {
  /** Most elements of one metadata array (4,194,304): beyond any real vocabulary. */
  public static final int MAX_ARRAY_ELEMENTS = 1 << 22;

  /** Most metadata values in one file, array elements included (16,777,216). */
  public static final int MAX_METADATA_VALUES = 1 << 24;

  /** Longest metadata key (65,535 bytes): longer keys are refused before they are read. */
  public static final int MAX_KEY_BYTES = 65_535;

  private static final int MAX_NAME = 64;
  private static final int MAX_DIMS = 4;
  private static final long DEFAULT_ALIGNMENT = 32;

  private final Path file;
  private final ReadLimits limits;
  private final LeInput in;
  private long values;
  private long stringBytes;

  private GgufReader(Path file, ReadLimits limits, LeInput in) {
    this.file = file;
    this.limits = limits;
    this.in = in;
  }

  /** Opens {@code file} as a tensor model (metadata as text). */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return read(file, limits).model();
  }

  /** Opens {@code file} with its typed metadata. */
  public static GgufFile read(Path file, ReadLimits limits) throws ModelsealException {
    return ReadChannel.read(
        file, (ch, size) -> new GgufReader(file, limits, new LeInput(ch, file, size)).parse(ch));
  }

  private record Info(TensorInfo info, long offset) {}

  private GgufFile parse(FileChannel ch) throws ModelsealException {
    if (in.size() < 4
        || in.u8("magic") != 'G'
        || in.u8("magic") != 'G'
        || in.u8("magic") != 'U'
        || in.u8("magic") != 'F') {
      throw new MalformedModelException(file, "not a GGUF file (bad magic)");
    }
    long version = in.u32("version");
    if (version != 2 && version != 3) {
      String hint =
          version == 1
              ? " (GGUF v1 is obsolete)"
              : Integer.reverseBytes((int) version) == 2 || Integer.reverseBytes((int) version) == 3
                  ? " (big-endian GGUF is not supported)"
                  : "";
      throw new MalformedModelException(
          file, "unsupported GGUF version " + version + hint + "; expected 2 or 3");
    }
    long tensorCount = in.u64("tensor count");
    long kvCount = in.u64("key/value count");
    LimitExceededException.check(file, "tensor count", tensorCount, limits.tensors());
    if (Long.compareUnsigned(tensorCount, in.remaining() / 24) > 0) {
      throw new MalformedModelException(
          file, "tensor count " + tensorCount + " cannot fit in the rest of the file");
    }
    if (Long.compareUnsigned(kvCount, in.remaining() / 13) > 0) {
      throw new MalformedModelException(
          file, "key/value count " + Long.toUnsignedString(kvCount) + " cannot fit in the file");
    }
    Map<String, GgufValue> metadata = new LinkedHashMap<>();
    String previous = null;
    for (long i = 0; i < kvCount; i++) {
      String key = key(previous == null ? "the first key" : "the key after " + previous);
      String q = Quoted.of(key);
      previous = q;
      if (metadata.containsKey(key)) {
        throw new MalformedModelException(file, "duplicate key " + q);
      }
      GgufValue.Type type = type(in.u32("value type of " + q), q);
      metadata.put(key, value(type, q, true));
    }
    long alignment = alignment(metadata.get("general.alignment"));
    List<Info> infos = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (long i = 0; i < tensorCount; i++) {
      infos.add(tensorInfo(i, names));
    }
    long dataStart = align(in.position(), alignment);
    long running = 0;
    List<RegionSource> sources = new ArrayList<>(infos.size());
    for (Info t : infos) {
      if (t.offset != running) {
        throw new MalformedModelException(
            file,
            "tensor '"
                + t.info.name()
                + "' has offset "
                + Long.toUnsignedString(t.offset)
                + ", expected "
                + running
                + " (the running sum of padded tensor sizes)");
      }
      long len = t.info.byteLength();
      if (len > in.size() - dataStart - running) {
        throw new MalformedModelException(
            file, "tensor " + Quoted.of(t.info.name()) + " data runs past the end of the file");
      }
      sources.add(new RegionSource(t.info, ch, file, dataStart + running, false));
      running += align(len, alignment);
    }
    long end = dataStart + running;
    if (in.size() > end) {
      throw new MalformedModelException(
          file,
          "the file has " + (in.size() - end) + " bytes after the last tensor (trailing data)");
    }
    Map<String, String> text = new LinkedHashMap<>();
    metadata.forEach((k, v) -> text.put(k, v.toString()));
    text.put("gguf.version", Long.toString(version));
    TensorModel model = TensorModel.of(file, Format.GGUF, sources, text, List.of(ch));
    return new GgufFile((int) version, metadata, model);
  }

  private long alignment(GgufValue v) throws MalformedModelException {
    if (v == null) {
      return DEFAULT_ALIGNMENT;
    }
    if (v.type() != GgufValue.Type.UINT32) {
      throw new MalformedModelException(
          file, "general.alignment is " + v.type() + ", must be UINT32");
    }
    long a = v.asLong();
    if (a == 0 || (a & (a - 1)) != 0) {
      throw new MalformedModelException(file, "general.alignment " + a + " is not a power of two");
    }
    return a;
  }

  private static long align(long n, long alignment) {
    long r = n % alignment;
    return r == 0 ? n : Math.addExact(n, alignment - r);
  }

  private Info tensorInfo(long i, Set<String> names) throws ModelsealException {
    long len = in.u64("tensor " + i + " name length");
    if (Long.compareUnsigned(len, MAX_NAME) >= 0) {
      throw new MalformedModelException(
          file,
          "tensor "
              + i
              + " name is "
              + Long.toUnsignedString(len)
              + " bytes; GGUF allows at most "
              + (MAX_NAME - 1));
    }
    String name = utf8(in.bytes(len, MAX_NAME, "tensor " + i + " name"), "tensor " + i + " name");
    if (!names.add(name)) {
      throw new MalformedModelException(file, "duplicate tensor name " + Quoted.of(name));
    }
    String where = "tensor " + Quoted.of(name);
    long nDims = in.u32(where + " dims");
    if (nDims > MAX_DIMS) {
      throw new MalformedModelException(
          file, where + " has " + nDims + " dimensions; GGUF allows at most " + MAX_DIMS);
    }
    long[] shape = new long[(int) nDims];
    for (int d = 0; d < nDims; d++) {
      long ne = in.u64(where + " dims");
      if (ne < 0) {
        throw new MalformedModelException(
            file, where + " has dimension " + Long.toUnsignedString(ne) + " (over 2^63-1)");
      }
      shape[(int) nDims - 1 - d] = ne;
    }
    long typeId = in.u32(where + " type");
    GgmlType type = GgmlType.byId(typeId);
    if (type == null) {
      throw new MalformedModelException(file, where + " has unknown ggml type " + typeId);
    }
    long offset = in.u64(where + " offset");
    TensorInfo info;
    try {
      info = TensorInfo.create(name, type.dtype(), shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, where + ": " + e.getMessage());
    }
    return new Info(info, offset);
  }

  /** {@code key} is the quoted key. */
  private GgufValue.Type type(long id, String key) throws MalformedModelException {
    GgufValue.Type t = GgufValue.Type.byId(id);
    if (t == null) {
      throw new MalformedModelException(file, "key " + key + " has unknown value type " + id);
    }
    return t;
  }

  /** A metadata key: at most {@link #MAX_KEY_BYTES}, refused by its length before reading it. */
  private String key(String what) throws ModelsealException {
    long len = in.u64(what + " length");
    if (Long.compareUnsigned(len, MAX_KEY_BYTES) > 0) {
      throw new MalformedModelException(
          file,
          what
              + " is "
              + (len < 0 ? Long.toUnsignedString(len) + " bytes" : Quoted.bytes(len))
              + "; keys are at most "
              + Quoted.bytes(MAX_KEY_BYTES));
    }
    return utf8(in.bytes(len, MAX_KEY_BYTES, what), what);
  }

  /**
   * A metadata string: at most {@link ReadLimits#ggufStringBytes()}, and all strings of the file
   * together at most four times that, checked before reading.
   */
  private String string(String what) throws ModelsealException {
    long len = in.u64(what + " length");
    LimitExceededException.check(file, what + " length", len, limits.ggufStringBytes());
    stringBytes += len;
    LimitExceededException.check(
        file, "metadata strings in all", stringBytes, 4 * limits.ggufStringBytes());
    return utf8(in.bytes(len, limits.ggufStringBytes(), what), what);
  }

  private String utf8(byte[] b, String what) throws MalformedModelException {
    try {
      return Utf8.decode(b);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, what + " is not valid UTF-8");
    }
  }

  /** {@code key} is the quoted key (with {@code [i]} for array elements). */
  private GgufValue value(GgufValue.Type type, String key, boolean top) throws ModelsealException {
    String w = "value of " + key;
    LimitExceededException.check(file, "number of metadata values", ++values, MAX_METADATA_VALUES);
    return switch (type) {
      case UINT8 -> GgufValue.scalar(type, (long) in.u8(w));
      case INT8 -> GgufValue.scalar(type, (long) (byte) in.u8(w));
      case UINT16 -> GgufValue.scalar(type, (long) in.u16(w));
      case INT16 -> GgufValue.scalar(type, (long) (short) in.u16(w));
      case UINT32 -> GgufValue.scalar(type, in.u32(w));
      case INT32 -> GgufValue.scalar(type, (long) (int) in.u32(w));
      case UINT64, INT64 -> GgufValue.scalar(type, in.u64(w));
      case FLOAT32 -> GgufValue.scalar(type, (double) Float.intBitsToFloat((int) in.u32(w)));
      case FLOAT64 -> GgufValue.scalar(type, Double.longBitsToDouble(in.u64(w)));
      case BOOL -> {
        int b = in.u8(w);
        if (b > 1) {
          throw new MalformedModelException(file, w + " is a bool byte " + b + ", not 0 or 1");
        }
        yield GgufValue.scalar(type, b == 1);
      }
      case STRING -> GgufValue.scalar(type, string(w));
      case ARRAY -> {
        if (!top) {
          throw new MalformedModelException(file, "key " + key + " holds a nested array");
        }
        yield array(key);
      }
    };
  }

  private GgufValue array(String key) throws ModelsealException {
    GgufValue.Type et = type(in.u32("array type of " + key), key);
    if (et == GgufValue.Type.ARRAY) {
      throw new MalformedModelException(file, "key " + key + " holds a nested array");
    }
    long count = in.u64("array length of " + key);
    long min = minSize(et);
    if (Long.compareUnsigned(count, in.remaining() / min) > 0) {
      throw new MalformedModelException(
          file,
          "array " + key + " claims " + Long.toUnsignedString(count) + " elements, past the end");
    }
    LimitExceededException.check(file, "array " + key + " length", count, MAX_ARRAY_ELEMENTS);
    List<GgufValue> out = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      out.add(value(et, key + "[" + i + "]", false));
    }
    return GgufValue.array(et, out);
  }

  private static long minSize(GgufValue.Type t) {
    return switch (t) {
      case UINT8, INT8, BOOL -> 1;
      case UINT16, INT16 -> 2;
      case UINT32, INT32, FLOAT32 -> 4;
      default -> 8;
    };
  }
}
