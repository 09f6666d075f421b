package dev.modelseal.formats.savedmodel;

import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@code BundleEntryProto} (tensor_bundle.proto): dtype (1), shape (2, a TensorShapeProto), shard
 * id (3), offset (4), size (5), masked crc32c (6, fixed32) and slices (7).
 */
record BundleEntry(
    int dtype, long[] shape, long shard, long offset, long size, int crc32c, boolean sliced) {
  static final int MAX_RANK = 254;

  static BundleEntry parse(byte[] value, Path file, String name) throws FormatException {
    WireBytes in = new WireBytes(value, file, "the entry of '" + name + "'");
    int end = value.length;
    int dtype = 0;
    long[] shape = new long[0];
    long shard = 0;
    long offset = 0;
    long size = 0;
    int crc = 0;
    boolean sliced = false;
    while (in.pos < end) {
      long tag = in.tag(end);
      int wire = (int) (tag & 7);
      switch ((int) (tag >>> 3)) {
        case 1 -> {
          in.expect(wire, WireBytes.VARINT, "dtype");
          dtype = (int) in.varint(end);
        }
        case 2 -> {
          in.expect(wire, WireBytes.LEN, "shape");
          shape = shape(in, in.lengthDelimited(end), file, name);
        }
        case 3 -> {
          in.expect(wire, WireBytes.VARINT, "shard_id");
          shard = in.varint(end);
        }
        case 4 -> {
          in.expect(wire, WireBytes.VARINT, "offset");
          offset = in.varint(end);
        }
        case 5 -> {
          in.expect(wire, WireBytes.VARINT, "size");
          size = in.varint(end);
        }
        case 6 -> {
          in.expect(wire, WireBytes.FIXED32, "crc32c");
          crc = in.fixed32(end);
        }
        case 7 -> {
          sliced = true;
          in.skip(wire, end);
        }
        default -> in.skip(wire, end);
      }
    }
    return new BundleEntry(dtype, shape, shard, offset, size, crc, sliced);
  }

  /** A TensorShapeProto: repeated dim (2) {size (1), name (2)}, unknown_rank (3). */
  private static long[] shape(WireBytes in, int end, Path file, String name)
      throws FormatException {
    long[] dims = new long[4];
    int rank = 0;
    while (in.pos < end) {
      long tag = in.tag(end);
      int wire = (int) (tag & 7);
      int field = (int) (tag >>> 3);
      if (field == 2) {
        in.expect(wire, WireBytes.LEN, "shape dim");
        int dimEnd = in.lengthDelimited(end);
        long d = 0;
        while (in.pos < dimEnd) {
          long t = in.tag(dimEnd);
          if ((t >>> 3) == 1) {
            in.expect((int) (t & 7), WireBytes.VARINT, "dim size");
            d = in.varint(dimEnd);
          } else {
            in.skip((int) (t & 7), dimEnd);
          }
        }
        if (rank == MAX_RANK) {
          throw new LimitExceededException(file, "rank of '" + name + "'", rank + 1, MAX_RANK);
        }
        if (rank == dims.length) {
          dims = Arrays.copyOf(dims, rank * 2);
        }
        dims[rank++] = d;
      } else if (field == 3) {
        in.expect(wire, WireBytes.VARINT, "unknown_rank");
        if (in.varint(end) != 0) {
          throw in.malformed("the shape has an unknown rank");
        }
      } else {
        in.skip(wire, end);
      }
    }
    return Arrays.copyOf(dims, rank);
  }
}
