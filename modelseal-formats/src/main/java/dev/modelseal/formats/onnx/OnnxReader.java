package dev.modelseal.formats.onnx;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.ProtoInput;
import dev.modelseal.formats.internal.RegionSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX {@code ModelProto}: the initializers and sparse initializers of the main graph and
 * of every subgraph (attributes {@code g} and {@code graphs} of any node: If, Loop, Scan...), and
 * the {@code value} / {@code sparse_value} tensors of {@code Constant} nodes, named after the
 * node's first output. Tensor data comes from {@code raw_data} (streamed from the file, never
 * copied), from the typed fields, or from external files in the model's directory.
 *
 * <p>Guarantee: every length is checked against its enclosing message before use; a tensor has
 * exactly one source of data, whose size matches its dtype and shape; external locations are
 * relative, without {@code ..}, and resolve (symbolic links followed) inside the model's directory.
 * Not checked: the graph's semantics (nodes, types, opsets), {@code checksum} entries of external
 * data, and tensors in function bodies or in non-Constant node attributes, which are outside the
 * fingerprint. String tensors and 4-bit integer tensors are refused as weights.
 */
public final class OnnxReader {
  /** The largest ModelProto protobuf can encode: 2 GiB. */
  public static final long MAX_MODEL_BYTES = Integer.MAX_VALUE;

  /** The deepest nesting of subgraphs read. */
  public static final int MAX_GRAPH_DEPTH = 32;

  private final Path file;
  private final ProtoInput in;
  private final ReadLimits limits;
  private final FileChannel ch;
  private final ExternalFiles external;
  private final List<TensorSource> sources = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  private OnnxReader(Path file, FileChannel ch, ReadLimits limits, List<Closeable> resources) {
    this.file = file;
    this.ch = ch;
    this.in = new ProtoInput(ch, file);
    this.limits = limits;
    this.external = new ExternalFiles(file, resources);
  }

  /** Opens {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    FileChannel ch;
    long size;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      size = ch.size();
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    List<Closeable> resources = new ArrayList<>();
    resources.add(ch);
    try {
      LimitExceededException.check(file, "ONNX model size", size, MAX_MODEL_BYTES);
      OnnxReader r = new OnnxReader(file, ch, limits, resources);
      r.model(size);
      return TensorModel.of(file, Format.ONNX, r.sources, r.metadata, resources);
    } catch (ModelsealException | RuntimeException e) {
      TensorModel.closeAll(resources);
      throw e;
    }
  }

  /**
   * True when {@code file} starts as every protobuf serializer writes a ModelProto: field 1 ({@code
   * ir_version}, a varint from 1 to 100) first, then only fields 2 to 6 (producer, domain, model
   * version, doc string) with lengths inside the file, then field 7 ({@code graph},
   * length-delimited, inside the file). Other content, or a file shorter than that, is not ONNX.
   */
  public static boolean sniff(Path file) throws ModelsealException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return sniff(new ProtoInput(ch, file), ch.size(), Long.MAX_VALUE);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  /**
   * {@link #sniff(Path)} on the first bytes of a content of {@code size} bytes (-1 when unknown):
   * the same test, except that a head which ends, a prefix of the content, after {@code ir_version}
   * and valid fields but before the graph counts as ONNX (the rest cannot be seen).
   */
  public static boolean sniffHead(byte[] head, long size) throws ModelsealException {
    long end = size < 0 ? Long.MAX_VALUE : size;
    return sniff(ProtoInput.of(head, null), end, end > head.length ? head.length : Long.MAX_VALUE);
  }

  /**
   * The sniff over {@code p} of a content of {@code size} bytes of which the first {@code visible}
   * can be read ({@code Long.MAX_VALUE}: all of it).
   */
  private static boolean sniff(ProtoInput p, long size, long visible) throws ModelsealException {
    boolean field = false;
    try {
      if (size < 4 || p.varint(size, "") != ((1 << 3) | ProtoInput.VARINT)) {
        return false;
      }
      long ir = p.varint(size, "");
      if (ir < 1 || ir > 100) {
        return false;
      }
      for (int i = 0; i < 16 && p.pos < size; i++) {
        if (p.pos >= visible) {
          return field;
        }
        long tag = p.varint(size, "");
        long number = tag >>> 3;
        int wire = (int) (tag & 7);
        if (number == 7 && wire == ProtoInput.LEN) {
          p.lengthDelimited(size, "");
          return true;
        }
        boolean ok =
            number == 5 ? wire == ProtoInput.VARINT : number >= 2 && number <= 6 && wire == 2;
        if (!ok) {
          return false;
        }
        field = true;
        p.skip(wire, size, "");
      }
      return false;
    } catch (MalformedModelException e) {
      return field && p.pos >= visible; // the head ended inside a field
    }
  }

  private void model(long size) throws ModelsealException {
    boolean graph = false;
    in.pos = 0;
    while (in.pos < size) {
      long tag = in.tag(size, "the ModelProto");
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (field) {
        case 1 -> {
          TensorRecord.expect(in, wire, ProtoInput.VARINT, "ir_version");
          metadata.put("onnx.ir_version", Long.toString(in.varint(size, "ir_version")));
        }
        case 2, 3 -> {
          TensorRecord.expect(in, wire, ProtoInput.LEN, "producer");
          String s = TensorRecord.string(in, size, TensorRecord.MAX_ENTRY_BYTES, "producer");
          metadata.put(field == 2 ? "onnx.producer_name" : "onnx.producer_version", s);
        }
        case 7 -> {
          TensorRecord.expect(in, wire, ProtoInput.LEN, "graph");
          TensorRecord.once(in, graph, "the ModelProto graph");
          graph = true;
          long e = in.lengthDelimited(size, "the graph");
          graph(in.pos, e, 0);
          in.pos = e;
        }
        default -> in.skip(wire, size, "the ModelProto");
      }
    }
    if (!graph) {
      throw new MalformedModelException(file, "the ModelProto has no graph");
    }
  }

  private void graph(long start, long end, int depth) throws ModelsealException {
    LimitExceededException.check(file, "subgraph nesting depth", depth, MAX_GRAPH_DEPTH);
    in.pos = start;
    String what = depth == 0 ? "the graph" : "a subgraph";
    while (in.pos < end) {
      long tag = in.tag(end, what);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 1 || field == 5 || field == 15) {
        TensorRecord.expect(in, wire, ProtoInput.LEN, what);
        long e = in.lengthDelimited(end, what);
        if (field == 1) {
          node(in.pos, e, depth);
        } else if (field == 5) {
          TensorRecord r = TensorRecord.parse(in, in.pos, e, "an initializer");
          add(dense(r, r.name));
        } else {
          add(sparse(in.pos, e, null));
        }
        in.pos = e;
      } else {
        in.skip(wire, end, what);
      }
    }
  }

  private void node(long start, long end, int depth) throws ModelsealException {
    in.pos = start;
    String opType = "";
    String domain = "";
    String output = null;
    List<long[]> attributes = new ArrayList<>();
    while (in.pos < end) {
      long tag = in.tag(end, "a node");
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 2 || field == 4 || field == 7) {
        TensorRecord.expect(in, wire, ProtoInput.LEN, "a node");
        String s = TensorRecord.string(in, end, TensorRecord.MAX_NAME_BYTES, "a node field");
        if (field == 2 && output == null) {
          output = s;
        } else if (field == 4) {
          opType = s;
        } else if (field == 7) {
          domain = s;
        }
      } else if (field == 5) {
        TensorRecord.expect(in, wire, ProtoInput.LEN, "a node attribute");
        long e = in.lengthDelimited(end, "a node attribute");
        attributes.add(new long[] {in.pos, e});
        in.pos = e;
      } else {
        in.skip(wire, end, "a node");
      }
    }
    boolean constant = opType.equals("Constant") && (domain.isEmpty() || domain.equals("ai.onnx"));
    for (long[] a : attributes) {
      attribute(a[0], a[1], depth, constant ? output : null);
    }
  }

  private void attribute(long start, long end, int depth, String constantOutput)
      throws ModelsealException {
    in.pos = start;
    String name = "";
    long[] t = null;
    long[] sparse = null;
    List<long[]> graphs = new ArrayList<>();
    while (in.pos < end) {
      long tag = in.tag(end, "an attribute");
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 1) {
        TensorRecord.expect(in, wire, ProtoInput.LEN, "an attribute name");
        name = TensorRecord.string(in, end, TensorRecord.MAX_NAME_BYTES, "an attribute name");
      } else if (field == 5 || field == 6 || field == 11 || field == 22) {
        TensorRecord.expect(in, wire, ProtoInput.LEN, "an attribute");
        long e = in.lengthDelimited(end, "an attribute");
        long[] range = {in.pos, e};
        if (field == 5) {
          t = range;
        } else if (field == 22) {
          sparse = range;
        } else {
          graphs.add(range);
        }
        in.pos = e;
      } else {
        in.skip(wire, end, "an attribute");
      }
    }
    if (constantOutput != null) {
      if (constantOutput.isEmpty()) {
        throw new MalformedModelException(file, "a Constant node has no output name");
      }
      if (name.equals("value") && t != null) {
        TensorRecord r = TensorRecord.parse(in, t[0], t[1], "a Constant value");
        add(dense(r, constantOutput));
      } else if (name.equals("sparse_value") && sparse != null) {
        add(sparse(sparse[0], sparse[1], constantOutput));
      } else {
        throw new UnsupportedModelException(
            file,
            "Constant node '"
                + constantOutput
                + "' has attribute '"
                + name
                + "'; only tensor values (value, sparse_value) are read as weights");
      }
    }
    for (long[] g : graphs) {
      graph(g[0], g[1], depth + 1);
    }
    in.pos = end;
  }

  private void add(TensorSource s) throws ModelsealException {
    LimitExceededException.check(file, "number of tensors", sources.size() + 1L, limits.tensors());
    sources.add(s);
  }

  private TensorInfo info(TensorRecord r, String name) throws ModelsealException {
    if (name.isEmpty()) {
      throw new MalformedModelException(file, "a tensor has no name");
    }
    String what = "tensor '" + name + "'";
    DType dt = OnnxTypes.dtype(r.dataType);
    if (dt == null) {
      if (OnnxTypes.knownUnsupported(r.dataType)) {
        throw new UnsupportedModelException(
            file, what + " has data_type " + r.dataType + ", which has no canonical weights form");
      }
      throw new MalformedModelException(file, what + " has unknown data_type " + r.dataType);
    }
    if (r.segment) {
      throw new UnsupportedModelException(file, what + " is a segment of a tensor");
    }
    try {
      return TensorInfo.create(name, dt, r.dims);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, what + ": " + e.getMessage());
    }
  }

  private TensorSource dense(TensorRecord r, String name) throws ModelsealException {
    TensorInfo info = info(r, name);
    String what = "tensor '" + name + "'";
    OnnxTypes.Carrier c = OnnxTypes.carrier(r.dataType);
    int typedFields = 0;
    for (int f = 0; f < r.typedCount.length; f++) {
      if (r.typedCount[f] > 0) {
        typedFields++;
        if (c == null || f != c.field()) {
          throw new MalformedModelException(
              file, what + " (" + info.dtype() + ") has values in " + OnnxTypes.fieldName(f));
        }
      }
    }
    boolean raw = r.rawStart >= 0;
    if (r.dataLocation == 1) {
      if (raw || typedFields > 0) {
        throw new MalformedModelException(file, what + " has external data and data in the file");
      }
      return external.source(info, r);
    }
    if (r.dataLocation != 0) {
      throw new MalformedModelException(
          file, what + " has unknown data_location " + r.dataLocation);
    }
    if (r.location != null || r.offset != null || r.length != null) {
      throw new MalformedModelException(
          file, what + " has external_data entries but is not EXTERNAL");
    }
    if (raw) {
      if (typedFields > 0) {
        throw new MalformedModelException(file, what + " has both raw_data and typed values");
      }
      long len = r.rawEnd - r.rawStart;
      if (len != info.byteLength()) {
        throw new MalformedModelException(
            file,
            what
                + " has "
                + len
                + " bytes of raw_data but its dtype and shape "
                + info.dtype()
                + info.shapeText()
                + " need "
                + info.byteLength());
      }
      return new RegionSource(info, ch, file, r.rawStart, false);
    }
    long want;
    try {
      want = Math.multiplyExact(info.elements(), c == null ? 1 : c.perElement());
    } catch (ArithmeticException e) {
      throw new MalformedModelException(file, what + " has too many elements");
    }
    long have = c == null ? 0 : r.typedCount[c.field()];
    if (have != want) {
      throw new MalformedModelException(
          file,
          what
              + " has "
              + have
              + " values in "
              + (c == null ? "its typed fields" : OnnxTypes.fieldName(c.field()))
              + " but its shape "
              + info.shapeText()
              + " needs "
              + want);
    }
    if (c == null) {
      return new TypedSource(
          info, ch, file, r.start, r.end, new OnnxTypes.Carrier(0, 0, 1, 1, 0, 0));
    }
    return new TypedSource(info, ch, file, r.start, r.end, c);
  }

  private TensorSource sparse(long start, long end, String forcedName) throws ModelsealException {
    in.pos = start;
    TensorRecord values = null;
    TensorRecord indices = null;
    List<Long> dims = new ArrayList<>();
    while (in.pos < end) {
      long tag = in.tag(end, "a sparse tensor");
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 1 || field == 2) {
        TensorRecord.expect(in, wire, ProtoInput.LEN, "a sparse tensor");
        TensorRecord.once(
            in, field == 1 ? values != null : indices != null, "a sparse tensor part");
        long e = in.lengthDelimited(end, "a sparse tensor");
        TensorRecord r = TensorRecord.parse(in, in.pos, e, "a sparse tensor");
        if (field == 1) {
          values = r;
        } else {
          indices = r;
        }
        in.pos = e;
      } else if (field == 3) {
        if (wire != ProtoInput.LEN) {
          TensorRecord.expect(in, wire, ProtoInput.VARINT, "sparse dims");
        }
        long e = wire == ProtoInput.LEN ? in.lengthDelimited(end, "sparse dims") : -1;
        do {
          LimitExceededException.check(
              file, "tensor rank", dims.size() + 1L, TensorRecord.MAX_RANK);
          dims.add(in.varint(e < 0 ? end : e, "sparse dims"));
        } while (e >= 0 && in.pos < e);
      } else {
        in.skip(wire, end, "a sparse tensor");
      }
    }
    if (values == null || indices == null) {
      throw new MalformedModelException(file, "a sparse tensor lacks its values or indices");
    }
    String name = forcedName != null ? forcedName : values.name;
    String what = "sparse tensor '" + name + "'";
    TensorSource v = dense(values, name);
    TensorSource i = dense(indices, name + " (indices)");
    long[] shape = new long[dims.size()];
    for (int k = 0; k < shape.length; k++) {
      shape[k] = dims.get(k);
    }
    TensorInfo info;
    try {
      info = TensorInfo.create(name, v.info().dtype(), shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, what + ": " + e.getMessage());
    }
    long nnz = v.info().rank() == 1 ? v.info().shape()[0] : -1;
    long[] is = i.info().shape();
    boolean idxOk =
        i.info().dtype().equals(DType.INT64)
            && ((is.length == 1 && is[0] == nnz)
                || (is.length == 2 && is[0] == nnz && is[1] == shape.length));
    if (nnz < 0 || !idxOk || v.info().dtype().bits() < 8) {
      throw new MalformedModelException(
          file,
          what
              + ": values "
              + v.info().dtype()
              + v.info().shapeText()
              + " and indices "
              + i.info().dtype()
              + i.info().shapeText()
              + " do not fit shape "
              + info.shapeText());
    }
    long mem = limits.inMemoryTensorBytes();
    LimitExceededException.check(file, what + " dense size", info.byteLength(), mem);
    LimitExceededException.check(file, what + " indices size", i.info().byteLength(), mem);
    LimitExceededException.check(file, what + " values size", v.info().byteLength(), mem);
    return new SparseSource(info, v, i, file);
  }
}
