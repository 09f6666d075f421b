package dev.modelseal.formats.tflite;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.RegionSource;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads TFLite flatbuffer models ({@code TFL3} file identifier).
 *
 * <p>Weights are the tensors whose buffer holds data, either inside the flatbuffer ({@code
 * Buffer.data}) or after it ({@code Buffer.offset > 1} and {@code size}, file offsets, as large
 * models store them). A weight is named {@code <subgraph index>/<tensor name>} so that names are
 * unique across subgraphs. Tensors without data (activations, inputs) are not weights; an empty
 * constant cannot be told apart from them and is therefore not a weight either.
 *
 * <p>Guarantee: every offset, vtable and vector length was checked against the file size before
 * use; a weight's data lies inside the file and is exactly the bytes its type and shape need;
 * operator code indices are in range. A sparse weight ({@code Tensor.sparsity}) is the dense tensor
 * of its shape that {@link TfliteSparsity} makes of its stored values, as TFLite's {@code Densify}
 * does. Types without a canonical dtype (STRING, INT4, RESOURCE, VARIANT) as weights are refused.
 * Only tables are read when opening; weight data is streamed on demand. Nothing is executed.
 */
public final class TfliteReader {
  /** Longest tensor name, custom code or description read (65,536 bytes). */
  public static final int MAX_STRING = 1 << 16;

  /** Most operators, operator codes or quantization values read (4,194,304 each). */
  public static final int MAX_ITEMS = 1 << 22;

  private static final int MAX_RANK = 64;

  private final Path file;
  private final ReadLimits limits;
  private final FlatInput in;
  private final Map<String, Sparse> sparse = new HashMap<>();

  /** A sparse weight's parameters and the length of its stored values. */
  private record Sparse(TfliteSparsity sparsity, int length) {}

  private TfliteReader(Path file, ReadLimits limits, FlatInput in) {
    this.file = file;
    this.limits = limits;
    this.in = in;
  }

  /** True when bytes 4..8 of {@code head} (of {@code n} bytes) are the {@code TFL3} identifier. */
  public static boolean sniff(byte[] head, int n) {
    return n >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3';
  }

  /** Opens {@code file} as a tensor model. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return read(file, limits).model();
  }

  /** Opens {@code file} with its stored tensor details and operator codes. */
  public static TfliteFile read(Path file, ReadLimits limits) throws ModelsealException {
    return ReadChannel.read(
        file,
        (ch, size) -> new TfliteReader(file, limits, new FlatInput(ch, file, size)).parse(ch));
  }

  private TfliteFile parse(FileChannel ch) throws ModelsealException {
    if (in.size() < 8) {
      throw new MalformedModelException(file, "too short for a TFLite model");
    }
    if (in.u8(4, "id") != 'T'
        || in.u8(5, "id") != 'F'
        || in.u8(6, "id") != 'L'
        || in.u8(7, "id") != '3') {
      throw new MalformedModelException(file, "not a TFLite model (no TFL3 file identifier)");
    }
    FlatInput.Table model = in.table(in.indirect(0, "the root offset"), "the Model table");
    Map<String, String> metadata = new LinkedHashMap<>();
    long vf = in.field(model, 0, 4, "Model.version");
    metadata.put("tflite.version", Long.toString(vf < 0 ? 0 : in.u32(vf, "Model.version")));
    String description = in.string(model, 3, MAX_STRING, "Model.description");
    if (description != null) {
      metadata.put("tflite.description", description);
    }
    List<TfliteOperatorCode> codes = operatorCodes(model);
    FlatInput.Vec buffers = in.vector(model, 4, 4, "Model.buffers");
    FlatInput.Vec subgraphs = in.vector(model, 2, 4, "Model.subgraphs");
    LimitExceededException.check(file, "subgraph count", subgraphs.length(), MAX_ITEMS);
    List<TfliteTensor> weights = new ArrayList<>();
    List<TfliteOperator> operators = new ArrayList<>();
    long tensorCount = 0;
    for (int s = 0; s < subgraphs.length(); s++) {
      String where = "subgraph " + s;
      FlatInput.Table sg = in.tableAt(subgraphs, s, where);
      FlatInput.Vec tensors = in.vector(sg, 0, 4, where + " tensors");
      tensorCount += tensors.length();
      LimitExceededException.check(file, "tensor count", tensorCount, limits.tensors());
      for (int t = 0; t < tensors.length(); t++) {
        TfliteTensor w = tensor(s, t, in.tableAt(tensors, t, where + " tensor " + t), buffers);
        if (w != null) {
          weights.add(w);
        }
      }
      FlatInput.Vec ops = in.vector(sg, 3, 4, where + " operators");
      LimitExceededException.check(
          file, "operator count", operators.size() + ops.length(), MAX_ITEMS);
      for (int o = 0; o < ops.length(); o++) {
        FlatInput.Table op = in.tableAt(ops, o, where + " operator " + o);
        long f = in.field(op, 0, 4, "Operator.opcode_index");
        long index = f < 0 ? 0 : in.u32(f, "Operator.opcode_index");
        if (index >= codes.size()) {
          throw new MalformedModelException(
              file,
              where + " operator " + o + " uses operator code " + index + " of " + codes.size());
        }
        operators.add(new TfliteOperator(s, o, (int) index));
      }
    }
    StringBuilder custom = new StringBuilder();
    for (TfliteOperatorCode c : codes) {
      if (c.isCustom()) {
        custom.append(custom.length() == 0 ? "" : ",").append(c.customCode());
      }
    }
    if (custom.length() > 0) {
      metadata.put("tflite.custom_ops", custom.toString());
    }
    List<dev.modelseal.formats.TensorSource> sources = new ArrayList<>(weights.size());
    for (TfliteTensor w : weights) {
      Sparse sp = sparse.get(w.info().name());
      sources.add(
          sp == null
              ? new RegionSource(w.info(), ch, file, w.dataOffset(), false)
              : new SparseTensorSource(
                  w.info(), ch, file, w.dataOffset(), sp.length(), sp.sparsity()));
      if (w.quantization() != null && !w.quantization().isEmpty()) {
        metadata.put("tflite.quantization." + w.info().name(), w.quantization().toString());
      }
    }
    TensorModel tm = TensorModel.of(file, Format.TFLITE, sources, metadata, List.of(ch));
    return new TfliteFile(tm, weights, codes, operators);
  }

  private List<TfliteOperatorCode> operatorCodes(FlatInput.Table model) throws ModelsealException {
    FlatInput.Vec v = in.vector(model, 1, 4, "Model.operator_codes");
    LimitExceededException.check(file, "operator code count", v.length(), MAX_ITEMS);
    List<TfliteOperatorCode> codes = new ArrayList<>();
    for (int i = 0; i < v.length(); i++) {
      String what = "operator code " + i;
      FlatInput.Table c = in.tableAt(v, i, what);
      long d = in.field(c, 0, 1, what);
      int deprecated = d < 0 ? 0 : (byte) in.u8(d, what);
      long b = in.field(c, 3, 4, what);
      int builtin = b < 0 ? 0 : in.i32(b, what);
      long ver = in.field(c, 2, 4, what);
      int version = ver < 0 ? 1 : in.i32(ver, what);
      String customCode = in.string(c, 1, MAX_STRING, what + " custom_code");
      codes.add(new TfliteOperatorCode(Math.max(deprecated, builtin), customCode, version));
    }
    return codes;
  }

  private TfliteTensor tensor(int s, int t, FlatInput.Table tensor, FlatInput.Vec buffers)
      throws ModelsealException {
    String where = "subgraph " + s + " tensor " + t;
    long bf = in.field(tensor, 2, 4, where + " buffer");
    long buffer = bf < 0 ? 0 : in.u32(bf, where + " buffer");
    if (buffer == 0 && buffers.length() == 0) {
      return null; // no buffers at all: nothing holds data
    }
    if (buffer >= buffers.length()) {
      throw new MalformedModelException(
          file, where + " refers to buffer " + buffer + " of " + buffers.length());
    }
    FlatInput.Table buf = in.tableAt(buffers, buffer, "buffer " + buffer);
    FlatInput.Vec data = in.vector(buf, 0, 1, "buffer " + buffer + " data");
    long of = in.field(buf, 1, 8, "buffer " + buffer + " offset");
    long sf = in.field(buf, 2, 8, "buffer " + buffer + " size");
    long offset = of < 0 ? 0 : in.i64(of, "buffer offset");
    long size = sf < 0 ? 0 : in.i64(sf, "buffer size");
    boolean external = Long.compareUnsigned(offset, 1) > 0;
    long start;
    long length;
    if (external) {
      if (data.length() > 0) {
        throw new MalformedModelException(
            file, "buffer " + buffer + " has both inline data and an external offset");
      }
      if (offset < 0 || size < 0 || size > in.size() - offset) {
        throw new MalformedModelException(
            file,
            "buffer "
                + buffer
                + " at offset "
                + Long.toUnsignedString(offset)
                + " of "
                + Long.toUnsignedString(size)
                + " bytes lies outside the file of "
                + in.size()
                + " bytes");
      }
      start = offset;
      length = size;
    } else {
      start = data.start();
      length = data.length();
    }
    if (length == 0) {
      return null;
    }
    String tensorName = in.string(tensor, 3, MAX_STRING, where + " name");
    if (tensorName == null) {
      throw new MalformedModelException(file, where + " holds data but has no name");
    }
    String name = s + "/" + tensorName;
    long tf = in.field(tensor, 1, 1, where + " type");
    int type = tf < 0 ? 0 : in.u8(tf, where + " type");
    DType dtype = TfliteTypes.dtype(type);
    if (dtype == null) {
      throw new UnsupportedModelException(
          file,
          "tensor "
              + Quoted.of(name)
              + " of type "
              + TfliteTypes.name(type)
              + " has no canonical dtype");
    }
    FlatInput.Vec shapeVec = in.vector(tensor, 0, 4, where + " shape");
    LimitExceededException.check(file, "rank of " + Quoted.of(name), shapeVec.length(), MAX_RANK);
    long[] shape = new long[(int) shapeVec.length()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = in.i32(shapeVec.start() + 4L * i, where + " shape");
      if (shape[i] < 0) {
        throw new MalformedModelException(
            file, "tensor " + Quoted.of(name) + " has a negative dimension " + shape[i]);
      }
    }
    TensorInfo info;
    try {
      info = TensorInfo.create(name, dtype, shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, "tensor " + Quoted.of(name) + ": " + e.getMessage());
    }
    FlatInput.Table sp = in.tableField(tensor, 6, where + " sparsity");
    if (sp != null) {
      LimitExceededException.check(
          file,
          "the stored values of sparse " + Quoted.of(name),
          length,
          limits.inMemoryTensorBytes());
      sparse.put(
          name,
          new Sparse(
              TfliteSparsity.read(
                  in,
                  sp,
                  file,
                  name,
                  shape,
                  info.byteLength(),
                  length / Math.max(1, dtype.bits() / 8),
                  limits),
              (int) length));
    } else if (info.byteLength() != length) {
      throw new MalformedModelException(
          file,
          "tensor "
              + Quoted.of(name)
              + " has "
              + length
              + " bytes of data but "
              + dtype
              + info.shapeText()
              + " needs "
              + info.byteLength());
    }
    FlatInput.Table q = in.tableField(tensor, 4, where + " quantization");
    return new TfliteTensor(
        info,
        s,
        tensorName,
        type,
        buffer,
        external,
        start,
        q == null ? null : quantization(q, where));
  }

  private TfliteQuantization quantization(FlatInput.Table q, String where)
      throws ModelsealException {
    float[] min = floats(q, 0, where + " quantization min");
    float[] max = floats(q, 1, where + " quantization max");
    float[] scale = floats(q, 2, where + " quantization scale");
    FlatInput.Vec zp = in.vector(q, 3, 8, where + " quantization zero_point");
    LimitExceededException.check(file, "zero point count", zp.length(), MAX_ITEMS);
    long[] zero = new long[(int) zp.length()];
    for (int i = 0; i < zero.length; i++) {
      zero[i] = in.i64(zp.start() + 8L * i, where + " zero point");
    }
    long d = in.field(q, 6, 4, where + " quantized_dimension");
    return new TfliteQuantization(
        min, max, scale, zero, d < 0 ? 0 : in.i32(d, "quantized_dimension"));
  }

  private float[] floats(FlatInput.Table t, int id, String what) throws ModelsealException {
    FlatInput.Vec v = in.vector(t, id, 4, what);
    LimitExceededException.check(file, "the length of " + what, v.length(), MAX_ITEMS);
    float[] out = new float[(int) v.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat(in.i32(v.start() + 4L * i, what));
    }
    return out;
  }
}
