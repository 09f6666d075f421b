package dev.modelseal.formats.numpy;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A validated .npy header: the tensor it describes, its layout, and where its data begins. */
final class NpyHeader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
  private static final Map<String, DType> CODES =
      Map.ofEntries(
          Map.entry("b1", DType.BOOL),
          Map.entry("i1", DType.INT8),
          Map.entry("u1", DType.UINT8),
          Map.entry("i2", DType.INT16),
          Map.entry("u2", DType.UINT16),
          Map.entry("i4", DType.INT32),
          Map.entry("u4", DType.UINT32),
          Map.entry("i8", DType.INT64),
          Map.entry("u8", DType.UINT64),
          Map.entry("f2", DType.FLOAT16),
          Map.entry("f4", DType.FLOAT32),
          Map.entry("f8", DType.FLOAT64),
          Map.entry("c8", DType.COMPLEX64),
          Map.entry("c16", DType.COMPLEX128));

  final TensorInfo info;
  final boolean bigEndian;
  final boolean fortran;
  final long dataOffset;

  private NpyHeader(TensorInfo info, boolean bigEndian, boolean fortran, long dataOffset) {
    this.info = info;
    this.bigEndian = bigEndian;
    this.fortran = fortran;
    this.dataOffset = dataOffset;
  }

  /** A header for {@code info} stored at {@code dataOffset} (a joblib inline array). */
  static NpyHeader of(TensorInfo info, boolean bigEndian, boolean fortran, long dataOffset) {
    return new NpyHeader(info, bigEndian, fortran, dataOffset);
  }

  /** The dtype of a NumPy type code such as {@code f4} or {@code c16}, or null. */
  static DType dtype(String code) {
    return CODES.get(code);
  }

  /** True when the tensor must be transposed from column-major. */
  boolean needsTranspose() {
    int nontrivial = 0;
    for (long d : info.shape()) {
      if (d > 1) {
        nontrivial++;
      }
    }
    return fortran && nontrivial > 1;
  }

  /**
   * Reads the header from {@code in} (at the start of the array); {@code what} names the array in
   * errors (the file, or an .npz member).
   */
  static NpyHeader read(InputStream in, Path file, String what, String name, ReadLimits limits)
      throws MalformedModelException, UnsupportedModelException, LimitExceededException {
    try {
      byte[] pre = in.readNBytes(8);
      if (pre.length < 8 || !java.util.Arrays.equals(pre, 0, 6, MAGIC, 0, 6)) {
        throw new MalformedModelException(file, what + " is not a .npy array (bad magic)");
      }
      int major = pre[6] & 0xFF;
      int minor = pre[7] & 0xFF;
      if (minor != 0 || major < 1 || major > 3) {
        throw new UnsupportedModelException(
            file, what + " has unsupported .npy format version " + major + "." + minor);
      }
      int lenBytes = major == 1 ? 2 : 4;
      byte[] lb = in.readNBytes(lenBytes);
      if (lb.length < lenBytes) {
        throw new MalformedModelException(file, what + " ends inside its header length");
      }
      long hlen = 0;
      for (int k = lenBytes - 1; k >= 0; k--) {
        hlen = (hlen << 8) | (lb[k] & 0xFF);
      }
      LimitExceededException.check(
          file, what + " .npy header length", hlen, limits.npyHeaderBytes());
      byte[] hb = in.readNBytes((int) hlen);
      if (hb.length < hlen) {
        throw new MalformedModelException(file, what + " ends inside its header");
      }
      String text;
      if (major == 3) {
        try {
          text = Utf8.decode(hb);
        } catch (IllegalArgumentException e) {
          throw new MalformedModelException(file, what + " header is not valid UTF-8");
        }
      } else {
        text = new String(hb, StandardCharsets.ISO_8859_1);
      }
      return parse(text, file, what, name, 8L + lenBytes + hlen);
    } catch (IOException e) {
      throw new MalformedModelException(
          file, what + ": " + dev.modelseal.ModelIoException.describe(e), e);
    }
  }

  private static NpyHeader parse(String text, Path file, String what, String name, long offset)
      throws MalformedModelException, UnsupportedModelException {
    Object lit;
    try {
      lit = PyLiteral.parse(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, what + " header: " + e.getMessage());
    }
    if (!(lit instanceof Map<?, ?> d) || !d.keySet().equals(KEYS)) {
      throw new MalformedModelException(
          file, what + " header must be a dict with exactly descr, fortran_order and shape");
    }
    Object descr = d.get("descr");
    if (!(descr instanceof String ds)) {
      throw new UnsupportedModelException(
          file, what + " has a structured dtype; only plain numeric arrays are weights");
    }
    if (!(d.get("fortran_order") instanceof Boolean fortran)) {
      throw new MalformedModelException(file, what + " fortran_order is not True or False");
    }
    if (!(d.get("shape") instanceof PyLiteral.Tuple shapeTuple)) {
      throw new MalformedModelException(file, what + " shape is not a tuple");
    }
    List<Object> items = shapeTuple.items();
    long[] shape = new long[items.size()];
    for (int k = 0; k < shape.length; k++) {
      if (!(items.get(k) instanceof Long l)) {
        throw new MalformedModelException(file, what + " shape holds a non-integer");
      }
      shape[k] = l;
    }
    char order = ds.isEmpty() ? '=' : ds.charAt(0);
    String code = ds;
    if (order == '<' || order == '>' || order == '|' || order == '=') {
      code = ds.substring(1);
    } else {
      order = '=';
    }
    if (code.startsWith("O")) {
      throw new UnsupportedModelException(
          file,
          what
              + " is an object array (dtype '"
              + ds
              + "'): its data is a pickle, which is never loaded; not a weights tensor");
    }
    DType dtype = CODES.get(code);
    if (dtype == null) {
      throw new UnsupportedModelException(
          file, what + " has dtype '" + ds + "', which has no canonical weights form");
    }
    if (dtype.bits() > 8 && order != '<' && order != '>') {
      throw new UnsupportedModelException(
          file, what + " dtype '" + ds + "' has no explicit byte order ('<' or '>')");
    }
    TensorInfo info;
    try {
      info = TensorInfo.create(name, dtype, shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, what + ": " + e.getMessage());
    }
    return new NpyHeader(info, order == '>', fortran, offset);
  }
}
