package dev.modelseal.formats.savedmodel;

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
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.ProtoInput;
import dev.modelseal.formats.internal.Streams;
import dev.modelseal.formats.internal.Utf8;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow V1 checkpoint ({@code tf.compat.v1.train.Saver(write_version=V1)}, TF 1.x session
 * bundles): a table of {@code SavedTensorSlices} (saved_tensor_slice.proto) whose empty-key entry
 * is the meta (each tensor's name, shape, dtype and slices) and whose other entries each hold one
 * slice's values inline as a {@code TensorProto}.
 *
 * <p>Guarantee: every tensor the meta names has exactly one slice, covering the whole tensor (a
 * partitioned variable is refused, its slices are not assembled), and exactly one data entry whose
 * {@code TensorProto} has the meta's dtype and exactly the tensor's element count, either as {@code
 * tensor_content} of the canonical size or in the typed field TensorFlow's slice writer fills (each
 * value checked to fit the element width; bools 0 or 1). The values are decoded from the in-memory
 * table (at most {@link ReadLimits#indexBytes()}) when a tensor is streamed, one tensor at a time.
 */
final class TensorSlices {
  /** The TensorProto value field per dtype, as TensorFlow's {@code SaveTypeTraits} fill them. */
  private static final Map<DType, Integer> FIELDS =
      Map.ofEntries(
          Map.entry(DType.FLOAT32, 5),
          Map.entry(DType.FLOAT64, 6),
          Map.entry(DType.INT32, 7),
          Map.entry(DType.INT16, 7),
          Map.entry(DType.INT8, 7),
          Map.entry(DType.UINT8, 7),
          Map.entry(DType.UINT16, 7),
          Map.entry(DType.COMPLEX64, 9),
          Map.entry(DType.INT64, 10),
          Map.entry(DType.BOOL, 11),
          Map.entry(DType.COMPLEX128, 12),
          Map.entry(DType.FLOAT16, 13),
          Map.entry(DType.BFLOAT16, 13),
          Map.entry(DType.UINT32, 16),
          Map.entry(DType.UINT64, 17));

  private TensorSlices() {}

  /**
   * True when the header entry's value starts as a {@code SavedTensorSlices.meta} (field 1, LEN).
   */
  static boolean isMeta(byte[] headerValue) {
    return headerValue.length > 0 && headerValue[0] == 0x0a;
  }

  static TensorModel read(Path path, Path file, List<SsTable.Entry> entries, ReadLimits limits)
      throws ModelsealException {
    Map<String, TensorInfo> metas = new LinkedHashMap<>();
    ProtoInput in = ProtoInput.of(entries.get(0).value(), file);
    long end = entries.get(0).value().length;
    while (in.pos < end) {
      long tag = in.tag(end, "the checkpoint meta");
      if ((tag >>> 3) == 1) {
        in.expect((int) (tag & 7), ProtoInput.LEN, "the checkpoint meta");
        long metaEnd = in.lengthDelimited(end, "the checkpoint meta");
        while (in.pos < metaEnd) {
          long t = in.tag(metaEnd, "the checkpoint meta");
          if ((t >>> 3) == 1) {
            in.expect((int) (t & 7), ProtoInput.LEN, "a tensor of the checkpoint meta");
            TensorInfo info = sliceMeta(in, in.lengthDelimited(metaEnd, "the meta"), file);
            if (metas.put(info.name(), info) != null) {
              throw new MalformedModelException(
                  file,
                  "the checkpoint meta names a tensor twice (" + Quoted.of(info.name()) + ")");
            }
            LimitExceededException.check(file, "tensor count", metas.size(), limits.tensors());
          } else {
            in.skip((int) (t & 7), metaEnd, "the checkpoint meta");
          }
        }
      } else {
        in.skip((int) (tag & 7), end, "the checkpoint meta");
      }
    }
    Map<String, SliceSource> sources = new HashMap<>();
    for (SsTable.Entry e : entries.subList(1, entries.size())) {
      SliceSource s = data(e.value(), file, metas, limits);
      if (sources.put(s.info.name(), s) != null) {
        throw new UnsupportedModelException(
            file, "tensor " + Quoted.of(s.info.name()) + " is stored in several data entries");
      }
    }
    for (String name : metas.keySet()) {
      if (!sources.containsKey(name)) {
        throw new MalformedModelException(file, "tensor " + Quoted.of(name) + " has no data entry");
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("savedmodel.checkpoint", "V1 (tensor slices)");
    return TensorModel.of(
        path, Format.SAVEDMODEL, new ArrayList<>(sources.values()), metadata, List.of());
  }

  /** A SavedSliceMeta: name (1), shape (2), type (3), slice (4, repeated). */
  private static TensorInfo sliceMeta(ProtoInput in, long end, Path file)
      throws ModelsealException {
    String what = "a tensor of the checkpoint meta";
    String name = null;
    long[] shape = null;
    int type = 0;
    int slices = 0;
    boolean full = true;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      int wire = (int) (tag & 7);
      switch ((int) (tag >>> 3)) {
        case 1 -> {
          in.expect(wire, ProtoInput.LEN, what + ": name");
          name = utf8(in.bytes(in.lengthDelimited(end, what)), file);
        }
        case 2 -> {
          in.expect(wire, ProtoInput.LEN, what + ": shape");
          shape = BundleEntry.shape(in, in.lengthDelimited(end, what), file, "meta", what);
        }
        case 3 -> {
          in.expect(wire, ProtoInput.VARINT, what + ": type");
          type = (int) in.varint(end, what);
        }
        case 4 -> {
          in.expect(wire, ProtoInput.LEN, what + ": slice");
          slices++;
          full &= fullSlice(in, in.lengthDelimited(end, what), shape, what);
        }
        default -> in.skip(wire, end, what);
      }
    }
    if (name == null || shape == null) {
      throw new MalformedModelException(file, what + " has no name or no shape");
    }
    if (slices != 1 || !full) {
      throw new UnsupportedModelException(
          file,
          "tensor "
              + Quoted.of(name)
              + " is a partitioned variable ("
              + slices
              + " slice"
              + (slices == 1 ? "" : "s")
              + "); partitioned V1 checkpoints are not assembled");
    }
    DType dtype = TfDataTypes.dtype(type);
    if (dtype == null) {
      throw new UnsupportedModelException(
          file,
          "tensor " + Quoted.of(name) + " has DataType " + type + ", which has no canonical dtype");
    }
    try {
      return TensorInfo.create(name, dtype, shape);
    } catch (IllegalArgumentException x) {
      throw new MalformedModelException(file, "tensor " + Quoted.of(name) + ": " + x.getMessage());
    }
  }

  /**
   * A TensorSliceProto: repeated extent (1) {start (1), length (2)}. Full when every extent has no
   * length (how TensorFlow writes a full dimension) or covers the whole dimension.
   */
  private static boolean fullSlice(ProtoInput in, long end, long[] shape, String what)
      throws ModelsealException {
    boolean full = true;
    int d = 0;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      if ((tag >>> 3) != 1) {
        in.skip((int) (tag & 7), end, what);
        continue;
      }
      in.expect((int) (tag & 7), ProtoInput.LEN, what + ": slice extent");
      long eEnd = in.lengthDelimited(end, what);
      long start = 0;
      long length = -1;
      while (in.pos < eEnd) {
        long t = in.tag(eEnd, what);
        int f = (int) (t >>> 3);
        if (f == 1 || f == 2) {
          in.expect((int) (t & 7), ProtoInput.VARINT, what + ": slice extent");
          long v = in.varint(eEnd, what);
          if (f == 1) {
            start = v;
          } else {
            length = v;
          }
        } else {
          in.skip((int) (t & 7), eEnd, what);
        }
      }
      boolean whole = length < 0 || (shape != null && d < shape.length && length == shape[d]);
      full &= start == 0 && whole;
      d++;
    }
    return full;
  }

  /** A data entry: SavedTensorSlices.data (2) = SavedSlice {name (1), slice (2), data (3)}. */
  private static SliceSource data(
      byte[] value, Path file, Map<String, TensorInfo> metas, ReadLimits limits)
      throws ModelsealException {
    String what = "a checkpoint data entry";
    ProtoInput in = ProtoInput.of(value, file);
    long end = value.length;
    String name = null;
    long dataStart = -1;
    long dataEnd = -1;
    boolean sawSlice = false;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      if ((tag >>> 3) == 1) {
        throw new MalformedModelException(file, "a data entry of the checkpoint holds a meta");
      }
      if ((tag >>> 3) != 2) {
        in.skip((int) (tag & 7), end, what);
        continue;
      }
      in.expect((int) (tag & 7), ProtoInput.LEN, what);
      long sliceEnd = in.lengthDelimited(end, what);
      sawSlice = true;
      while (in.pos < sliceEnd) {
        long t = in.tag(sliceEnd, what);
        int f = (int) (t >>> 3);
        if (f == 1) {
          in.expect((int) (t & 7), ProtoInput.LEN, what + ": name");
          name = utf8(in.bytes(in.lengthDelimited(sliceEnd, what)), file);
        } else if (f == 3) {
          in.expect((int) (t & 7), ProtoInput.LEN, what + ": data");
          dataEnd = in.lengthDelimited(sliceEnd, what);
          dataStart = in.pos;
          in.pos = dataEnd;
        } else {
          in.skip((int) (t & 7), sliceEnd, what);
        }
      }
    }
    if (!sawSlice || name == null || dataStart < 0) {
      throw new MalformedModelException(file, what + " has no slice name or data");
    }
    TensorInfo info = metas.get(name);
    if (info == null) {
      throw new MalformedModelException(
          file, "a data entry holds tensor " + Quoted.of(name) + ", which the meta does not name");
    }
    LimitExceededException.check(
        file,
        "the size of tensor " + Quoted.of(name),
        info.byteLength(),
        limits.inMemoryTensorBytes());
    SliceSource s = new SliceSource(info, file, value, (int) dataStart, (int) dataEnd);
    s.decode(false);
    return s;
  }

  private static String utf8(byte[] b, Path file) throws MalformedModelException {
    try {
      return Utf8.decode(b);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, "a tensor name is not UTF-8");
    }
  }

  /** One tensor's values, decoded from its TensorProto when streamed. */
  private static final class SliceSource implements TensorSource {
    private final TensorInfo info;
    private final Path file;
    private final byte[] value;
    private final int start;
    private final int end;

    SliceSource(TensorInfo info, Path file, byte[] value, int start, int end) {
      this.info = info;
      this.file = file;
      this.value = value;
      this.start = start;
      this.end = end;
    }

    @Override
    public TensorInfo info() {
      return info;
    }

    @Override
    public TensorStream open() throws ModelsealException {
      return Streams.memory(decode(true));
    }

    /** The TensorProto field TensorFlow's slice writer fills for the dtype, or -1. */
    private int field() {
      Integer f = FIELDS.get(info.dtype());
      return f == null ? -1 : f;
    }

    /**
     * Walks the TensorProto: checks its dtype and element count, and (when {@code store}) returns
     * the canonical little-endian bytes.
     */
    ByteBuffer decode(boolean store) throws ModelsealException {
      String what = "the data of " + Quoted.of(info.name());
      int width = info.dtype().bits() / 8;
      long elements = info.byteLength() / width;
      ByteBuffer out =
          store
              ? ByteBuffer.allocate((int) info.byteLength()).order(ByteOrder.LITTLE_ENDIAN)
              : null;
      int field = field();
      int fixed =
          switch (field) {
            case 5, 9 -> 4;
            case 6, 12 -> 8;
            default -> 0;
          };
      long scalars = fixed > 0 ? info.byteLength() / fixed : elements;
      long count = 0;
      int dtype = -1;
      boolean content = false;
      ProtoInput in = ProtoInput.of(value, file);
      in.pos = start;
      while (in.pos < end) {
        long tag = in.tag(end, what);
        int wire = (int) (tag & 7);
        int f = (int) (tag >>> 3);
        if (f == 1) {
          in.expect(wire, ProtoInput.VARINT, what + ": dtype");
          dtype = (int) in.varint(end, what);
        } else if (f == 4) {
          in.expect(wire, ProtoInput.LEN, what + ": tensor_content");
          long cEnd = in.lengthDelimited(end, what);
          if (cEnd - in.pos != info.byteLength() || count != 0) {
            throw new MalformedModelException(
                file,
                what + " has " + (cEnd - in.pos) + " content bytes, not " + info.byteLength());
          }
          if (out != null) {
            out.put(value, (int) in.pos, (int) info.byteLength());
          }
          in.pos = cEnd;
          content = true;
          count = scalars;
        } else if (f == field && !content) {
          if (wire == ProtoInput.LEN) {
            long pEnd = in.lengthDelimited(end, what);
            while (in.pos < pEnd) {
              count = element(in, pEnd, fixed, width, out, count, scalars, what);
            }
          } else {
            in.expect(wire, fixed == 4 ? 5 : fixed == 8 ? 1 : 0, what);
            count = element(in, end, fixed, width, out, count, scalars, what);
          }
        } else {
          in.skip(wire, end, what);
        }
      }
      int want = TfDataTypes.code(info.dtype());
      if (dtype != -1 && dtype != want) {
        throw new MalformedModelException(
            file, what + " has DataType " + dtype + ", the meta says " + want);
      }
      if (count != scalars || field < 0) {
        throw new MalformedModelException(
            file,
            what
                + " has "
                + count
                + " values, "
                + info.dtype()
                + info.shapeText()
                + " needs "
                + scalars);
      }
      return out == null ? null : out.flip();
    }

    private long element(
        ProtoInput in,
        long end,
        int fixed,
        int width,
        ByteBuffer out,
        long count,
        long scalars,
        String what)
        throws ModelsealException {
      if (count >= scalars) {
        throw new MalformedModelException(file, what + " has more values than its shape holds");
      }
      if (fixed > 0) {
        long v = in.fixed(fixed, end, what);
        if (out != null) {
          if (fixed == 4) {
            out.putInt((int) v);
          } else {
            out.putLong(v);
          }
        }
        return count + 1;
      }
      long v = in.varint(end, what);
      DType t = info.dtype();
      boolean ok;
      if (t.equals(DType.BOOL)) {
        ok = v == 0 || v == 1;
      } else if (t.equals(DType.INT8)) {
        ok = v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
      } else if (t.equals(DType.UINT8)) {
        ok = v >= 0 && v <= 0xFF;
      } else if (t.equals(DType.INT16)) {
        ok = v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
      } else if (t.equals(DType.UINT16) || t.equals(DType.FLOAT16) || t.equals(DType.BFLOAT16)) {
        ok = v >= 0 && v <= 0xFFFF;
      } else if (t.equals(DType.INT32)) {
        ok = (int) v == v;
      } else if (t.equals(DType.UINT32)) {
        ok = v >= 0 && v <= 0xFFFF_FFFFL;
      } else {
        ok = true;
      }
      if (!ok) {
        throw new MalformedModelException(
            file, what + " holds " + v + ", out of range for " + info.dtype());
      }
      if (out != null) {
        switch (width) {
          case 1 -> out.put((byte) v);
          case 2 -> out.putShort((short) v);
          case 4 -> out.putInt((int) v);
          default -> out.putLong(v);
        }
      }
      return count + 1;
    }
  }
}
