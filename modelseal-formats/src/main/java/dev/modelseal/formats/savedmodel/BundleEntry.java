package dev.modelseal.formats.savedmodel;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.internal.ProtoInput;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@code BundleEntryProto} (tensor_bundle.proto): dtype (1), shape (2, a TensorShapeProto), shard
 * id (3), offset (4), size (5), masked crc32c (6, fixed32) and slices (7).
 */
record BundleEntry(
    int dtype, long[] shape, long shard, long offset, long size, int crc32c, boolean sliced) {
  static final int MAX_RANK = 254;

  static BundleEntry parse(byte[] value, Path file, String name) throws ModelsealException {
    String what = "the entry of " + Quoted.of(name);
    ProtoInput in = ProtoInput.of(value, file);
    long end = value.length;
    int dtype = 0;
    long[] shape = new long[0];
    long shard = 0;
    long offset = 0;
    long size = 0;
    int crc = 0;
    boolean sliced = false;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      int wire = (int) (tag & 7);
      switch ((int) (tag >>> 3)) {
        case 1 -> {
          in.expect(wire, ProtoInput.VARINT, what + ": " + "dtype");
          dtype = (int) in.varint(end, what);
        }
        case 2 -> {
          in.expect(wire, ProtoInput.LEN, what + ": " + "shape");
          shape = shape(in, in.lengthDelimited(end, what), file, name, what);
        }
        case 3 -> {
          in.expect(wire, ProtoInput.VARINT, what + ": " + "shard_id");
          shard = in.varint(end, what);
        }
        case 4 -> {
          in.expect(wire, ProtoInput.VARINT, what + ": " + "offset");
          offset = in.varint(end, what);
        }
        case 5 -> {
          in.expect(wire, ProtoInput.VARINT, what + ": " + "size");
          size = in.varint(end, what);
        }
        case 6 -> {
          in.expect(wire, ProtoInput.FIXED32, what + ": " + "crc32c");
          crc = (int) in.fixed(4, end, what);
        }
        case 7 -> {
          sliced = true;
          in.skip(wire, end, what);
        }
        default -> in.skip(wire, end, what);
      }
    }
    return new BundleEntry(dtype, shape, shard, offset, size, crc, sliced);
  }

  /** A TensorShapeProto: repeated dim (2) {size (1), name (2)}, unknown_rank (3). */
  static long[] shape(ProtoInput in, long end, Path file, String name, String what)
      throws ModelsealException {
    long[] dims = new long[4];
    int rank = 0;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      int wire = (int) (tag & 7);
      int field = (int) (tag >>> 3);
      if (field == 2) {
        in.expect(wire, ProtoInput.LEN, what + ": " + "shape dim");
        long dimEnd = in.lengthDelimited(end, what);
        long d = 0;
        while (in.pos < dimEnd) {
          long t = in.tag(dimEnd, what);
          if ((t >>> 3) == 1) {
            in.expect((int) (t & 7), ProtoInput.VARINT, what + ": " + "dim size");
            d = in.varint(dimEnd, what);
          } else {
            in.skip((int) (t & 7), dimEnd, what);
          }
        }
        if (rank == MAX_RANK) {
          throw new LimitExceededException(file, "rank of " + Quoted.of(name), rank + 1, MAX_RANK);
        }
        if (rank == dims.length) {
          dims = Arrays.copyOf(dims, rank * 2);
        }
        dims[rank++] = d;
      } else if (field == 3) {
        in.expect(wire, ProtoInput.VARINT, what + ": " + "unknown_rank");
        if (in.varint(end, what) != 0) {
          throw in.malformed(what + ": the shape has an unknown rank");
        }
      } else {
        in.skip(wire, end, what);
      }
    }
    return Arrays.copyOf(dims, rank);
  }
}
