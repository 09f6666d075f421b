package dev.modelseal.formats.keras;

import dev.modelseal.formats.DType;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Maps HDF5 datatypes, as h5py writes NumPy dtypes, to canonical dtypes: IEEE binary16/32/64 to
 * {@code float16/32/64}, fixed-point integers of 1, 2, 4, 8 bytes (signed or not) to the integer
 * dtypes, h5py's boolean (an enum over int8 with {@code FALSE=0, TRUE=1}) to {@code bool}, other
 * enums to their base integer type, and h5py's complex numbers (a compound of IEEE floats {@code
 * r}, {@code i}) to {@code complex64/128}. Anything else (strings, other compounds, references,
 * padded or non-IEEE layouts) has no mapping.
 */
final class Hdf5Types {
  private Hdf5Types() {}

  /** A canonical dtype and the byte order of the stored values. */
  record Mapped(DType dtype, boolean bigEndian) {}

  /** The mapping of {@code t}, or null when the type is not a plain numeric or bool type. */
  static Mapped map(DataType t) {
    if (t instanceof FloatingPoint f) {
      int size = f.getSize();
      if (f.getBitOffset() != 0 || f.getBitPrecision() != size * 8) {
        return null;
      }
      DType d =
          switch (size) {
            case 2 -> ieee(f, 5, 10) ? DType.FLOAT16 : null;
            case 4 -> ieee(f, 8, 23) ? DType.FLOAT32 : null;
            case 8 -> ieee(f, 11, 52) ? DType.FLOAT64 : null;
            default -> null;
          };
      return d == null ? null : new Mapped(d, f.getByteOrder() == ByteOrder.BIG_ENDIAN);
    }
    if (t instanceof FixedPoint x) {
      DType d = integer(x);
      return d == null ? null : new Mapped(d, x.getByteOrder() == ByteOrder.BIG_ENDIAN);
    }
    if (t instanceof EnumDataType e && e.getBaseType() instanceof FixedPoint base) {
      if (base.getSize() == 1 && isH5pyBool(e.getEnumMapping())) {
        return new Mapped(DType.BOOL, false);
      }
      // any other enum: its stored values are integers of the base type (h5py reads them so)
      DType d = integer(base);
      return d == null ? null : new Mapped(d, base.getByteOrder() == ByteOrder.BIG_ENDIAN);
    }
    if (t instanceof CompoundDataType c) {
      return complex(c);
    }
    return null;
  }

  /**
   * h5py's complex numbers: a compound of exactly two members {@code r} at offset 0 and {@code i}
   * right after it, IEEE floats of one size (4 or 8 bytes) and one byte order, nothing else.
   */
  private static Mapped complex(CompoundDataType c) {
    var m = c.getMembers();
    if (m.size() != 2
        || !m.get(0).getName().equals("r")
        || !m.get(1).getName().equals("i")
        || m.get(0).getDimensionSize() != null && m.get(0).getDimensionSize().length > 0
        || m.get(1).getDimensionSize() != null && m.get(1).getDimensionSize().length > 0
        || !(m.get(0).getDataType() instanceof FloatingPoint re)
        || !(m.get(1).getDataType() instanceof FloatingPoint im)) {
      return null;
    }
    Mapped r = map(re);
    Mapped i = map(im);
    int size = re.getSize();
    if (r == null
        || i == null
        || !r.equals(i)
        || (size != 4 && size != 8)
        || m.get(0).getOffset() != 0
        || m.get(1).getOffset() != size
        || c.getSize() != 2 * size) {
      return null;
    }
    return new Mapped(size == 4 ? DType.COMPLEX64 : DType.COMPLEX128, r.bigEndian());
  }

  /** A short description of {@code t} for errors. */
  static String describe(DataType t) {
    return t.getClass().getSimpleName() + " of " + t.getSize() + " bytes";
  }

  private static boolean ieee(FloatingPoint f, int exponent, int mantissa) {
    return f.getExponentSize() == exponent
        && f.getMantissaSize() == mantissa
        && f.getMantissaLocation() == 0
        && f.getExponentLocation() == mantissa
        && f.getSignLocation() == exponent + mantissa;
  }

  private static DType integer(FixedPoint x) {
    int size = x.getSize();
    if (x.getBitOffset() != 0 || x.getBitPrecision() != size * 8) {
      return null;
    }
    boolean signed = x.isSigned();
    return switch (size) {
      case 1 -> signed ? DType.INT8 : DType.UINT8;
      case 2 -> signed ? DType.INT16 : DType.UINT16;
      case 4 -> signed ? DType.INT32 : DType.UINT32;
      case 8 -> signed ? DType.INT64 : DType.UINT64;
      default -> null;
    };
  }

  private static boolean isH5pyBool(Map<Integer, String> mapping) {
    return mapping.size() == 2 && "FALSE".equals(mapping.get(0)) && "TRUE".equals(mapping.get(1));
  }
}
