package dev.modelseal.formats.tfjs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.RegionInput;
import dev.modelseal.formats.internal.StreamingJson;
import dev.modelseal.formats.internal.TableBudget;
import dev.modelseal.internal.StrictJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a TensorFlow.js model: {@code model.json} ({@code format} layers-model or graph-model) and
 * the shard files of its {@code weightsManifest}. Within one manifest group, the weights are laid
 * out one after the other over the group's {@code paths} concatenated in order.
 *
 * <p>Guarantee: {@code model.json} is strict UTF-8 JSON of at most {@link ReadLimits#indexBytes()};
 * every shard path is a plain relative file name inside the model's directory (no {@code ..}, no
 * absolute path, no symbolic link leaving the directory) and exists; each group's weights fill its
 * shards exactly (byte counts from dtype and shape, no missing or trailing bytes); dtypes are
 * {@code float32}, {@code int32}, {@code bool}, {@code complex64} ({@code string} weights are
 * refused); quantized weights ({@code uint8}, {@code uint16} with finite {@code scale} and {@code
 * min}, or {@code float16}) decode as {@code tf.io.decodeWeights} does, and their stored form is
 * the metadata entry {@code tfjs.quantization.<name>}. Shards are read only when a tensor is
 * streamed.
 */
public final class TfjsReader {
  /** The file name a TF.js model directory holds. */
  public static final String MODEL_JSON = "model.json";

  private TfjsReader() {}

  /**
   * True when {@code file} is a JSON object with a top-level {@code weightsManifest} key, or a
   * weights manifest on its own: a top-level JSON array whose first element is an object with a
   * {@code paths} or {@code weights} key (a cheap streaming look; no more than {@link
   * ReadLimits#indexBytes()} are read).
   */
  public static boolean sniff(Path file, ReadLimits limits) {
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = StrictJson.mapper().getFactory().createParser(bounded(in, limits))) {
      JsonToken first = p.nextToken();
      String key;
      if (first == JsonToken.START_OBJECT) {
        key = "weightsManifest";
      } else if (first == JsonToken.START_ARRAY && p.nextToken() == JsonToken.START_OBJECT) {
        key = "paths";
      } else {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (name.equals(key) || (key.equals("paths") && name.equals("weights"))) {
          return true;
        }
        p.nextToken();
        p.skipChildren();
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static InputStream bounded(InputStream in, ReadLimits limits) {
    return new java.io.FilterInputStream(in) {
      private long left = limits.indexBytes();

      @Override
      public int read() throws IOException {
        return left-- > 0 ? super.read() : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }

  /** Most tokens of one weight entry of the manifest (name, shape, dtype, quantization). */
  private static final int WEIGHT_TOKENS = 4096;

  /** Opens {@code modelJson} (or a directory holding {@code model.json}) and its shards. */
  public static TensorModel open(Path modelJson, ReadLimits limits) throws ModelsealException {
    Path file = Files.isDirectory(modelJson) ? modelJson.resolve(MODEL_JSON) : modelJson;
    Map<String, String> meta = new LinkedHashMap<>();
    List<Closeable> resources = new ArrayList<>();
    try (FileChannel json = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = json.size();
      LimitExceededException.check(file, "model.json size", size, limits.indexBytes());
      Manifest m = new Manifest(file, limits, resources, meta);
      try (JsonParser p = StreamingJson.parser(json, 0, size)) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
          // A weights manifest on its own (face-api.js, tf.io.loadWeights) is the array itself.
          meta.put("tfjs.format", "weights manifest");
          m.readGroups(p);
        } else if (t == JsonToken.START_OBJECT) {
          readModel(file, p, json, m, meta);
        } else {
          throw new MalformedModelException(
              file, "model.json is not a JSON object (nor a weights manifest array)");
        }
        if (p.nextToken() != null) {
          throw new MalformedModelException(
              file, "model.json is not valid JSON: content after the top-level value");
        }
      } catch (RegionInput.MalformedUtf8Exception | JsonProcessingException e) {
        throw new MalformedModelException(file, "model.json is " + StreamingJson.reason(e), e);
      }
      return TensorModel.of(file, Format.TFJS, m.tensors, meta, resources);
    } catch (IOException e) {
      TensorModel.closeAll(resources);
      throw ModelIoException.of(file, e);
    } catch (ModelsealException | RuntimeException e) {
      TensorModel.closeAll(resources);
      throw e;
    }
  }

  /** The fields of a model.json object: the manifest read, a few strings kept, the rest skipped. */
  private static void readModel(
      Path file, JsonParser p, FileChannel json, Manifest m, Map<String, String> meta)
      throws IOException, ModelsealException {
    boolean sawManifest = false;
    Set<String> seen = new HashSet<>();
    JsonToken t = p.nextToken();
    while (t == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (!seen.add(key) && seen.size() < 4096) {
        throw new MalformedModelException(
            file, "model.json has the key " + Quoted.of(key) + " twice");
      }
      if (key.equals("weightsManifest")) {
        if (v != JsonToken.START_ARRAY) {
          throw new MalformedModelException(file, "model.json has no weightsManifest array");
        }
        sawManifest = true;
        m.readGroups(p);
        t = p.nextToken();
      } else if (v == JsonToken.VALUE_STRING
          && (key.equals("format") || key.equals("generatedBy") || key.equals("convertedBy"))) {
        StreamingJson.Text text = StreamingJson.shortString(p, json, 0, 1024);
        if (text.value() != null) {
          meta.put("tfjs." + key, text.value());
        }
        t = p.currentToken();
      } else {
        p.skipChildren(); // modelTopology and the rest: never held
        t = p.nextToken();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new MalformedModelException(file, "model.json is not valid JSON: it is not closed");
    }
    if (!sawManifest) {
      throw new MalformedModelException(file, "model.json has no weightsManifest array");
    }
  }

  /** The manifest's groups as they stream by: shards opened, weights laid over them. */
  private static final class Manifest {
    private final Path file;
    private final Path dir;
    private final ReadLimits limits;
    private final TableBudget budget;
    private final List<Closeable> resources;
    private final Map<String, String> meta;
    private final Set<Path> seen = new HashSet<>();
    private final List<TensorSource> tensors = new ArrayList<>();

    Manifest(Path file, ReadLimits limits, List<Closeable> resources, Map<String, String> meta) {
      this.file = file;
      this.dir = file.toAbsolutePath().normalize().getParent();
      this.limits = limits;
      this.budget = TableBudget.of(file, "the manifest's weights", limits);
      this.resources = resources;
      this.meta = meta;
    }

    /** Reads the groups of the array whose start is the current token, to its end. */
    void readGroups(JsonParser p) throws IOException, ModelsealException {
      int g = 0;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        readGroup(p, t, "weightsManifest[" + g++ + "]");
      }
    }

    private void readGroup(JsonParser p, JsonToken t, String where)
        throws IOException, ModelsealException {
      if (t != JsonToken.START_OBJECT) {
        throw new MalformedModelException(file, where + " is not an object");
      }
      JsonNode paths = null;
      List<Weight> weights = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (key.equals("paths")) {
          if (paths != null) {
            throw new MalformedModelException(file, where + " has two 'paths'");
          }
          paths = StreamingJson.tree(p, limits.tensors() + 1);
        } else if (key.equals("weights")) {
          if (weights != null) {
            throw new MalformedModelException(file, where + " has two 'weights'");
          }
          if (v != JsonToken.START_ARRAY) {
            throw new MalformedModelException(file, where + " needs 'paths' and 'weights' arrays");
          }
          weights = new ArrayList<>();
          JsonToken w;
          while ((w = p.nextToken()) != JsonToken.END_ARRAY) {
            LimitExceededException.check(
                file, "tensor count", tensors.size() + weights.size() + 1L, limits.tensors());
            Weight spec = Weight.parse(file, where, StreamingJson.tree(p, WEIGHT_TOKENS));
            budget.charge(spec.info().name(), spec.info().rank());
            weights.add(spec);
            if (w == null) {
              break;
            }
          }
        } else {
          p.skipChildren();
        }
      }
      if (paths == null || !paths.isArray() || weights == null) {
        throw new MalformedModelException(file, where + " needs 'paths' and 'weights' arrays");
      }
      layOut(where, paths, weights);
    }

    private void layOut(String where, JsonNode paths, List<Weight> weights)
        throws ModelsealException {
      List<Shard> shards = new ArrayList<>();
      for (JsonNode p : paths) {
        LimitExceededException.check(file, "shard count", seen.size() + 1L, limits.tensors());
        if (!p.isTextual()) {
          throw new MalformedModelException(file, where + ".paths holds a non-string");
        }
        Path shard = shardPath(file, dir, p.textValue());
        if (!seen.add(shard)) {
          throw new MalformedModelException(
              file, "shard " + Quoted.of(p.textValue()) + " is listed twice in the manifest");
        }
        try {
          FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ);
          resources.add(ch);
          shards.add(new Shard(shard, ch, ch.size()));
        } catch (NoSuchFileException e) {
          throw new MalformedModelException(
              file, "shard " + Quoted.of(p.textValue()) + " is missing");
        } catch (IOException e) {
          throw ModelIoException.of(shard, e);
        }
      }
      long offset = 0;
      for (Weight spec : weights) {
        long stored = spec.storedBytes();
        List<Segment> segs = segments(file, shards, offset, stored, spec.info().name());
        offset += stored;
        tensors.add(new TfjsSource(spec.info(), segs, spec.quantization(), file));
        if (spec.quantization() != null) {
          meta.put(
              "tfjs.quantization." + spec.info().name(),
              spec.quantization().describe(spec.info().dtype()));
        }
      }
      long total = 0;
      for (Shard s : shards) {
        total += s.size();
      }
      if (total != offset) {
        throw new MalformedModelException(
            file,
            where
                + ": shard files hold "
                + total
                + " bytes but its weights need "
                + offset
                + (total > offset ? " (trailing bytes)" : " (shards too short)"));
      }
    }
  }

  private record Shard(Path path, FileChannel channel, long size) {}

  private static Path shardPath(Path file, Path dir, String name) throws ModelsealException {
    if (name.isEmpty()
        || name.indexOf('\\') >= 0
        || name.indexOf('\0') >= 0
        || name.startsWith("/")
        || name.contains(":")) {
      throw new MalformedModelException(
          file, "shard path " + Quoted.of(name) + " is not a relative name");
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new MalformedModelException(
            file, "shard path " + Quoted.of(name) + " leaves the model directory or is not plain");
      }
    }
    Path p = dir.resolve(name).normalize();
    if (!p.startsWith(dir)) {
      throw new MalformedModelException(
          file, "shard path " + Quoted.of(name) + " leaves the model directory");
    }
    if (Files.exists(p)) {
      try {
        Path real = p.toRealPath();
        if (!real.startsWith(dir.toRealPath()) || !Files.isRegularFile(real)) {
          throw new MalformedModelException(
              file,
              "shard path " + Quoted.of(name) + " is a link leaving the directory or not a file");
        }
      } catch (IOException e) {
        throw ModelIoException.of(p, e);
      }
    } else if (Files.isSymbolicLink(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new MalformedModelException(file, "shard " + Quoted.of(name) + " is missing");
    }
    return p;
  }

  private static List<Segment> segments(
      Path file, List<Shard> shards, long offset, long length, String name)
      throws ModelsealException {
    List<Segment> out = new ArrayList<>();
    long start = 0;
    long want = offset;
    long left = length;
    for (Shard s : shards) {
      long end = start + s.size();
      if (left > 0 && want < end) {
        long from = want - start;
        long n = Math.min(left, s.size() - from);
        out.add(new Segment(s.channel(), s.path(), from, n));
        want += n;
        left -= n;
      }
      start = end;
    }
    if (left > 0) {
      throw new MalformedModelException(
          file, "weight " + Quoted.of(name) + " runs past the end of its shard files");
    }
    return out;
  }

  /** One parsed weight entry. */
  private record Weight(TensorInfo info, long storedBytes, TfjsQuantization quantization) {
    static Weight parse(Path file, String where, JsonNode w) throws ModelsealException {
      if (!w.isObject()) {
        throw new MalformedModelException(file, where + ".weights holds a non-object");
      }
      JsonNode n = w.get("name");
      JsonNode shapeNode = w.get("shape");
      JsonNode dt = w.get("dtype");
      if (n == null || !n.isTextual() || dt == null || !dt.isTextual()) {
        throw new MalformedModelException(file, where + ": a weight lacks a string name or dtype");
      }
      String name = n.textValue();
      if (shapeNode == null || !shapeNode.isArray()) {
        throw new MalformedModelException(
            file, "weight " + Quoted.of(name) + " has no shape array");
      }
      LimitExceededException.check(
          file, "weight " + Quoted.of(name) + " rank", shapeNode.size(), 64);
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        JsonNode d = shapeNode.get(i);
        if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
          throw new MalformedModelException(
              file, "weight " + Quoted.of(name) + " has an invalid dimension " + d);
        }
        shape[i] = d.longValue();
      }
      DType dtype =
          switch (dt.textValue()) {
            case "float32" -> DType.FLOAT32;
            case "int32" -> DType.INT32;
            case "bool" -> DType.BOOL;
            case "complex64" -> DType.COMPLEX64;
            case "string" ->
                throw new UnsupportedModelException(
                    file, "weight " + Quoted.of(name) + " holds strings, not numbers");
            default ->
                throw new MalformedModelException(
                    file,
                    "weight "
                        + Quoted.of(name)
                        + " has unknown dtype "
                        + Quoted.of(dt.textValue()));
          };
      TensorInfo info;
      try {
        info = TensorInfo.create(name, dtype, shape);
      } catch (IllegalArgumentException e) {
        throw new MalformedModelException(
            file, "weight " + Quoted.of(name) + ": " + e.getMessage());
      }
      JsonNode q = w.get("quantization");
      if (q == null) {
        return new Weight(info, info.byteLength(), null);
      }
      TfjsQuantization quant = quantization(file, name, dtype, q);
      long stored;
      try {
        stored = Math.multiplyExact(info.elements(), (long) quant.storedBytes());
      } catch (ArithmeticException e) {
        throw new MalformedModelException(file, "weight " + Quoted.of(name) + " size overflows");
      }
      return new Weight(info, stored, quant);
    }

    private static TfjsQuantization quantization(Path file, String name, DType dtype, JsonNode q)
        throws ModelsealException {
      JsonNode qd = q.isObject() ? q.get("dtype") : null;
      if (qd == null || !qd.isTextual()) {
        throw new MalformedModelException(
            file, "weight " + Quoted.of(name) + " quantization has no dtype");
      }
      String s = qd.textValue();
      switch (s) {
        case "uint8", "uint16" -> {
          if (!dtype.equals(DType.FLOAT32) && !dtype.equals(DType.INT32)) {
            throw new MalformedModelException(
                file,
                "weight "
                    + Quoted.of(name)
                    + " is "
                    + dtype
                    + ", which cannot be "
                    + s
                    + "-quantized");
          }
          JsonNode scale = q.get("scale");
          JsonNode min = q.get("min");
          if (scale == null || !scale.isNumber() || min == null || !min.isNumber()) {
            throw new MalformedModelException(
                file,
                "weight "
                    + Quoted.of(name)
                    + " "
                    + s
                    + " quantization lacks numeric scale and min");
          }
          double sc = scale.doubleValue();
          double mn = min.doubleValue();
          if (!Double.isFinite(sc) || !Double.isFinite(mn)) {
            throw new MalformedModelException(
                file, "weight " + Quoted.of(name) + " quantization scale or min is not finite");
          }
          return new TfjsQuantization(s, s.equals("uint8") ? 1 : 2, sc, mn);
        }
        case "float16" -> {
          if (!dtype.equals(DType.FLOAT32)) {
            throw new MalformedModelException(
                file,
                "weight "
                    + Quoted.of(name)
                    + " is "
                    + dtype
                    + ", which cannot be float16-quantized");
          }
          return new TfjsQuantization(s, 2, 1, 0);
        }
        default ->
            throw new MalformedModelException(
                file,
                "weight " + Quoted.of(name) + " has unknown quantization dtype " + Quoted.of(s));
      }
    }
  }
}
