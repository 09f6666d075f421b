package dev.modelseal.formats.orbax;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.UnsupportedModelException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A validated zarr array metadata of the subset orbax writes. zarr v3 ({@code zarr.json}): a
 * regular chunk grid of one chunk covering the array, the default chunk key encoding, little-endian
 * {@code bytes} optionally followed by {@code zstd}, either directly or inside a {@code
 * sharding_indexed} codec of one inner chunk with a little-endian, CRC32C-checked index at the end.
 * zarr v2 ({@code .zarray}): see {@link #parseV2}. {@link #chunkKey} is the key of the one chunk
 * relative to the array's directory ({@code c/0/0}, {@code 0.0}).
 */
final class ZarrArray {
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
          Map.entry("float8_e4m3fnuz", DType.FLOAT8_E4M3FNUZ),
          Map.entry("float8_e5m2fnuz", DType.FLOAT8_E5M2FNUZ));

  final DType dtype;
  final long[] shape;
  final boolean sharded;
  final boolean zstd;
  final String chunkKey;

  private ZarrArray(DType dtype, long[] shape, boolean sharded, boolean zstd, String chunkKey) {
    this.dtype = dtype;
    this.shape = shape;
    this.sharded = sharded;
    this.zstd = zstd;
    this.chunkKey = chunkKey;
  }

  static ZarrArray parse(JsonNode z, Path file, String what)
      throws MalformedModelException, UnsupportedModelException {
    if (!z.isObject()
        || z.path("zarr_format").asInt(-1) != 3
        || !"array".equals(text(z, "node_type"))) {
      throw new UnsupportedModelException(file, what + " is not zarr v3 array metadata");
    }
    String dt = text(z, "data_type");
    DType dtype = dt == null ? null : DTYPES.get(dt);
    if (dtype == null) {
      throw new UnsupportedModelException(
          file,
          what
              + " has data_type "
              + (dt == null ? "(none)" : "'" + cut(dt) + "'")
              + ", which has no canonical form");
    }
    long[] shape = dims(z.get("shape"), file, what + " shape");
    JsonNode grid = z.path("chunk_grid");
    if (!"regular".equals(text(grid, "name"))) {
      throw new UnsupportedModelException(file, what + " has a chunk grid that is not regular");
    }
    long[] chunk = dims(grid.path("configuration").get("chunk_shape"), file, what + " chunk_shape");
    if (!java.util.Arrays.equals(chunk, shape)) {
      throw new UnsupportedModelException(
          file, what + " is split into several chunks, which this reader does not assemble yet");
    }
    JsonNode enc = z.path("chunk_key_encoding");
    String sep = "/";
    if (!"default".equals(text(enc, "name"))) {
      throw new UnsupportedModelException(
          file, what + " has a chunk key encoding other than default");
    }
    JsonNode sepNode = enc.path("configuration").get("separator");
    if (sepNode != null) {
      if (!sepNode.isTextual() || !(sepNode.asText().equals("/") || sepNode.asText().equals("."))) {
        throw new MalformedModelException(
            file, what + " has a chunk key separator other than / or .");
      }
      sep = sepNode.asText();
    }
    StringBuilder key = new StringBuilder("c");
    for (int i = 0; i < shape.length; i++) {
      key.append(sep).append('0');
    }
    JsonNode codecs = z.get("codecs");
    if (codecs == null || !codecs.isArray() || codecs.isEmpty()) {
      throw new MalformedModelException(file, what + " has no codecs");
    }
    boolean sharded = false;
    JsonNode inner = codecs;
    if (codecs.size() == 1 && "sharding_indexed".equals(text(codecs.get(0), "name"))) {
      JsonNode cfg = codecs.get(0).path("configuration");
      long[] innerShape = dims(cfg.get("chunk_shape"), file, what + " shard chunk_shape");
      if (!java.util.Arrays.equals(innerShape, shape)) {
        throw new UnsupportedModelException(
            file,
            what + " is a shard of several inner chunks, which this reader does not assemble yet");
      }
      String loc = cfg.path("index_location").asText("end");
      JsonNode idx = cfg.get("index_codecs");
      if (!"end".equals(loc)
          || idx == null
          || !idx.isArray()
          || idx.size() != 2
          || !isLittleBytes(idx.get(0))
          || !"crc32c".equals(text(idx.get(1), "name"))) {
        throw new UnsupportedModelException(
            file,
            what + " has a shard index other than orbax's (little-endian, crc32c, at the end)");
      }
      inner = cfg.get("codecs");
      sharded = true;
      if (inner == null || !inner.isArray() || inner.isEmpty()) {
        throw new MalformedModelException(file, what + " has no inner codecs");
      }
    }
    if (!isLittleBytes(inner.get(0))
        && !(dtype.bits() == 8 && "bytes".equals(text(inner.get(0), "name")))) {
      throw new UnsupportedModelException(
          file, what + " does not start with the little-endian bytes codec");
    }
    boolean zstd = false;
    if (inner.size() == 2 && "zstd".equals(text(inner.get(1), "name"))) {
      zstd = true;
    } else if (inner.size() != 1) {
      throw new UnsupportedModelException(
          file, what + " has codecs other than bytes and zstd (transpose, gzip, blosc...)");
    }
    return new ZarrArray(dtype, shape, sharded, zstd, key.toString());
  }

  private static final Map<String, DType> V2_DTYPES =
      Map.ofEntries(
          Map.entry("|b1", DType.BOOL),
          Map.entry("|u1", DType.UINT8),
          Map.entry("|i1", DType.INT8),
          Map.entry("<u1", DType.UINT8),
          Map.entry("<i1", DType.INT8),
          Map.entry("<u2", DType.UINT16),
          Map.entry("<i2", DType.INT16),
          Map.entry("<u4", DType.UINT32),
          Map.entry("<i4", DType.INT32),
          Map.entry("<u8", DType.UINT64),
          Map.entry("<i8", DType.INT64),
          Map.entry("<f2", DType.FLOAT16),
          Map.entry("bfloat16", DType.BFLOAT16),
          Map.entry("<f4", DType.FLOAT32),
          Map.entry("<f8", DType.FLOAT64),
          Map.entry("<c8", DType.COMPLEX64),
          Map.entry("<c16", DType.COMPLEX128),
          Map.entry("float8_e5m2", DType.FLOAT8_E5M2),
          Map.entry("float8_e4m3fn", DType.FLOAT8_E4M3FN),
          Map.entry("float8_e4m3fnuz", DType.FLOAT8_E4M3FNUZ),
          Map.entry("float8_e5m2fnuz", DType.FLOAT8_E5M2FNUZ));

  /**
   * Parses zarr v2 array metadata ({@code .zarray}) of the subset tensorstore writes for orbax: one
   * chunk covering the array, C order, no filters, little-endian (or single-byte) numpy dtype
   * strings or tensorstore's {@code bfloat16}/float8 names, no compressor or {@code zstd}.
   */
  static ZarrArray parseV2(JsonNode z, Path file, String what)
      throws MalformedModelException, UnsupportedModelException {
    if (!z.isObject() || z.path("zarr_format").asInt(-1) != 2) {
      throw new UnsupportedModelException(file, what + " is not zarr v2 array metadata");
    }
    JsonNode dtNode = z.get("dtype");
    String dt = dtNode != null && dtNode.isTextual() ? dtNode.asText() : null;
    DType dtype = dt == null ? null : V2_DTYPES.get(dt);
    if (dtype == null) {
      throw new UnsupportedModelException(
          file,
          what
              + " has dtype "
              + (dt == null ? "(none, or a structured dtype)" : "'" + cut(dt) + "'")
              + ", which this reader does not read (big-endian, structured or unknown)");
    }
    long[] shape = dims(z.get("shape"), file, what + " shape");
    long[] chunks = dims(z.get("chunks"), file, what + " chunks");
    if (!java.util.Arrays.equals(chunks, shape)) {
      throw new UnsupportedModelException(
          file, what + " is split into several chunks, which this reader does not assemble yet");
    }
    if (!"C".equals(text(z, "order"))) {
      throw new UnsupportedModelException(file, what + " is not in C order");
    }
    JsonNode filters = z.get("filters");
    if (filters != null && !filters.isNull()) {
      throw new UnsupportedModelException(file, what + " has filters");
    }
    JsonNode comp = z.get("compressor");
    boolean zstd = false;
    if (comp != null && !comp.isNull()) {
      if (!"zstd".equals(text(comp, "id"))) {
        throw new UnsupportedModelException(
            file, what + " has a compressor other than zstd (blosc, gzip...)");
      }
      zstd = true;
    }
    String sep = ".";
    JsonNode sepNode = z.get("dimension_separator");
    if (sepNode != null) {
      if (!sepNode.isTextual() || !(sepNode.asText().equals("/") || sepNode.asText().equals("."))) {
        throw new MalformedModelException(
            file, what + " has a dimension separator other than / or .");
      }
      sep = sepNode.asText();
    }
    StringBuilder key = new StringBuilder("0");
    for (int i = 1; i < shape.length; i++) {
      key.append(sep).append('0');
    }
    return new ZarrArray(dtype, shape, false, zstd, key.toString());
  }

  private static boolean isLittleBytes(JsonNode codec) {
    return codec != null
        && "bytes".equals(text(codec, "name"))
        && "little".equals(codec.path("configuration").path("endian").asText(""));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static String cut(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private static long[] dims(JsonNode a, Path file, String what) throws MalformedModelException {
    if (a == null || !a.isArray() || a.size() > 64) {
      throw new MalformedModelException(file, what + " is not an array of at most 64 dimensions");
    }
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode d = a.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw new MalformedModelException(
            file, what + " holds a dimension that is not in 0..2^63-1");
      }
      out[i] = d.asLong();
    }
    return out;
  }
}
