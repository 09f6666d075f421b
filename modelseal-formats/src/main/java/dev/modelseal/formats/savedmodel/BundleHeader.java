package dev.modelseal.formats.savedmodel;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.ProtoInput;
import java.nio.file.Path;

/**
 * A {@code BundleHeaderProto}: num_shards (1), endianness (2: 0 little, 1 big) and version (3, a
 * VersionDef, not interpreted).
 */
record BundleHeader(long numShards, boolean bigEndian) {
  static BundleHeader parse(byte[] value, Path file) throws ModelsealException {
    String what = "the bundle header";
    ProtoInput in = ProtoInput.of(value, file);
    long end = value.length;
    long shards = 0;
    long endianness = 0;
    while (in.pos < end) {
      long tag = in.tag(end, what);
      int wire = (int) (tag & 7);
      switch ((int) (tag >>> 3)) {
        case 1 -> {
          in.expect(wire, ProtoInput.VARINT, what + ": " + "num_shards");
          shards = in.varint(end, what);
        }
        case 2 -> {
          in.expect(wire, ProtoInput.VARINT, what + ": " + "endianness");
          endianness = in.varint(end, what);
        }
        default -> in.skip(wire, end, what);
      }
    }
    LimitExceededException.check(file, "the shard count", shards, SavedModelReader.MAX_SHARDS);
    if (endianness > 1) {
      throw new UnsupportedModelException(file, "unknown bundle endianness " + endianness);
    }
    return new BundleHeader(shards, endianness == 1);
  }
}
