package dev.modelseal.formats.onnx;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.internal.ProtoInput;
import dev.modelseal.formats.internal.Utf8;
import java.util.Arrays;

/**
 * Where the parts of one {@code TensorProto} are in the file: dims, data type, name, the range of
 * {@code raw_data}, the number of values in each typed field, and the external data entries. Values
 * are not read here; only counted.
 */
final class TensorRecord {
  static final int MAX_RANK = 64;
  static final int MAX_NAME_BYTES = 1 << 16;
  static final int MAX_ENTRY_BYTES = 4096;

  long start;
  long end;
  String name = "";
  int dataType;
  long[] dims = new long[0];
  long rawStart = -1;
  long rawEnd = -1;
  final long[] typedCount = new long[12];
  boolean segment;
  long dataLocation;
  String location;
  String offset;
  String length;

  private TensorRecord() {}

  /** Parses the TensorProto in {@code [start, end)}; leaves {@code in.pos} at {@code end}. */
  static TensorRecord parse(ProtoInput in, long start, long end, String what)
      throws ModelsealException {
    TensorRecord r = new TensorRecord();
    r.start = start;
    r.end = end;
    in.pos = start;
    boolean seenName = false;
    boolean seenType = false;
    boolean seenLocation = false;
    int rank = 0;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (field) {
        case 1 -> {
          if (wire == ProtoInput.LEN) {
            long e = in.lengthDelimited(end, what + " dims");
            while (in.pos < e) {
              rank = r.addDim(in, rank, in.varint(e, what + " dims"));
            }
          } else {
            expect(in, wire, ProtoInput.VARINT, what + " dims");
            rank = r.addDim(in, rank, in.varint(end, what + " dims"));
          }
        }
        case 2 -> {
          expect(in, wire, ProtoInput.VARINT, what + " data_type");
          once(in, seenType, what + " data_type");
          seenType = true;
          long t = in.varint(end, what + " data_type");
          r.dataType = t == (int) t ? (int) t : -1;
        }
        case 3 -> {
          r.segment = true;
          in.skip(wire, end, what);
        }
        case OnnxTypes.FLOAT_DATA -> r.countFixed(in, wire, 4, ProtoInput.FIXED32, end, what);
        case OnnxTypes.DOUBLE_DATA -> r.countFixed(in, wire, 8, ProtoInput.FIXED64, end, what);
        case OnnxTypes.INT32_DATA, OnnxTypes.INT64_DATA, OnnxTypes.UINT64_DATA ->
            r.countVarints(in, field, wire, end, what);
        case OnnxTypes.STRING_DATA -> {
          expect(in, wire, ProtoInput.LEN, what + " string_data");
          r.typedCount[field]++;
          in.skip(wire, end, what);
        }
        case 8 -> {
          expect(in, wire, ProtoInput.LEN, what + " name");
          once(in, seenName, what + " name");
          seenName = true;
          r.name = string(in, end, MAX_NAME_BYTES, what + " name");
        }
        case 9 -> {
          expect(in, wire, ProtoInput.LEN, what + " raw_data");
          once(in, r.rawStart >= 0, what + " raw_data");
          long e = in.lengthDelimited(end, what + " raw_data");
          r.rawStart = in.pos;
          r.rawEnd = e;
          in.pos = e;
        }
        case 13 -> {
          expect(in, wire, ProtoInput.LEN, what + " external_data");
          long e = in.lengthDelimited(end, what + " external_data");
          r.entry(in, e, what + " external_data");
        }
        case 14 -> {
          expect(in, wire, ProtoInput.VARINT, what + " data_location");
          once(in, seenLocation, what + " data_location");
          seenLocation = true;
          r.dataLocation = in.varint(end, what + " data_location");
        }
        default -> in.skip(wire, end, what);
      }
    }
    if (rank < r.dims.length) {
      r.dims = Arrays.copyOf(r.dims, rank);
    }
    return r;
  }

  private int addDim(ProtoInput in, int rank, long d) throws ModelsealException {
    LimitExceededException.check(in.file(), "tensor rank", rank + 1L, MAX_RANK);
    if (d < 0) {
      throw in.malformed("tensor " + Quoted.of(name) + " has a negative dimension " + d);
    }
    if (rank == dims.length) {
      dims = Arrays.copyOf(dims, Math.max(4, rank * 2));
    }
    dims[rank] = d;
    return rank + 1;
  }

  private void countFixed(ProtoInput in, int wire, int width, int single, long end, String what)
      throws ModelsealException {
    int field = width == 4 ? OnnxTypes.FLOAT_DATA : OnnxTypes.DOUBLE_DATA;
    if (wire == ProtoInput.LEN) {
      long e = in.lengthDelimited(end, what);
      if ((e - in.pos) % width != 0) {
        throw in.malformed(
            what + " " + OnnxTypes.fieldName(field) + " is not a whole number of values");
      }
      typedCount[field] += (e - in.pos) / width;
      in.pos = e;
    } else {
      expect(in, wire, single, what + " " + OnnxTypes.fieldName(field));
      in.fixed(width, end, what);
      typedCount[field]++;
    }
  }

  private void countVarints(ProtoInput in, int field, int wire, long end, String what)
      throws ModelsealException {
    if (wire == ProtoInput.LEN) {
      long e = in.lengthDelimited(end, what);
      while (in.pos < e) {
        in.varint(e, what + " " + OnnxTypes.fieldName(field));
        typedCount[field]++;
      }
    } else {
      expect(in, wire, ProtoInput.VARINT, what + " " + OnnxTypes.fieldName(field));
      in.varint(end, what);
      typedCount[field]++;
    }
  }

  private void entry(ProtoInput in, long end, String what) throws ModelsealException {
    String key = null;
    String value = null;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 1 || field == 2) {
        expect(in, wire, ProtoInput.LEN, what);
        String s = string(in, end, MAX_ENTRY_BYTES, what);
        if (field == 1) {
          key = s;
        } else {
          value = s;
        }
      } else {
        in.skip(wire, end, what);
      }
    }
    if (key == null) {
      throw in.malformed(what + " entry of tensor " + Quoted.of(name) + " has no key");
    }
    String v = value == null ? "" : value;
    switch (key) {
      case "location" -> {
        once(in, location != null, what + " location");
        location = v;
      }
      case "offset" -> {
        once(in, offset != null, what + " offset");
        offset = v;
      }
      case "length" -> {
        once(in, length != null, what + " length");
        length = v;
      }
      default -> {
        // "checksum" and unknown keys: informative only.
      }
    }
  }

  static String string(ProtoInput in, long end, int max, String what) throws ModelsealException {
    long e = in.lengthDelimited(end, what);
    LimitExceededException.check(in.file(), what + " length", e - in.pos, max);
    byte[] b = in.bytes(e);
    try {
      return Utf8.decode(b);
    } catch (IllegalArgumentException x) {
      throw in.malformed(what + " is not valid UTF-8");
    }
  }

  static void expect(ProtoInput in, int wire, int want, String what) throws ModelsealException {
    if (wire != want) {
      throw in.malformed(what + " has wire type " + wire + ", expected " + want);
    }
  }

  static void once(ProtoInput in, boolean seen, String what) throws ModelsealException {
    if (seen) {
      throw in.malformed(what + " appears twice");
    }
  }
}
