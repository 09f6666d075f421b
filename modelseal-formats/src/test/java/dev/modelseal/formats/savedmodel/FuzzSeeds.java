package dev.modelseal.formats.savedmodel;

import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the committed Jazzer seeds for {@code TensorFlowFuzzTest} (run by hand; see its use). */
final class FuzzSeeds {
  private FuzzSeeds() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path tmp = Files.createTempDirectory("seeds");
    byte[] shard = new byte[256];
    for (int i = 0; i < shard.length; i++) {
      shard[i] = (byte) i;
    }
    byte[] x = java.util.Arrays.copyOfRange(shard, 0, 8);
    byte[] y = java.util.Arrays.copyOfRange(shard, 8, 12);
    new BundleWriter()
        .add("x", 1, new long[] {2}, x)
        .add("y/kernel", 3, new long[] {}, y)
        .write(tmp);
    Path idx = Files.createDirectories(root.resolve("savedModelIndex"));
    Files.copy(tmp.resolve(SavedModelReader.INDEX), idx.resolve("two-tensors.index"));
    BundleWriter.Proto node = new BundleWriter.Proto();
    node.bytes(1, "a".getBytes()).bytes(2, "VariableV2".getBytes());
    BundleWriter.Proto fnode = new BundleWriter.Proto();
    fnode.bytes(1, "read".getBytes()).bytes(2, "ReadFile".getBytes());
    BundleWriter.Proto sig = new BundleWriter.Proto().bytes(1, "f".getBytes());
    BundleWriter.Proto fn =
        new BundleWriter.Proto().bytes(1, sig.out.toByteArray()).bytes(3, fnode.out.toByteArray());
    BundleWriter.Proto lib = new BundleWriter.Proto().bytes(1, fn.out.toByteArray());
    BundleWriter.Proto graph =
        new BundleWriter.Proto().bytes(1, node.out.toByteArray()).bytes(2, lib.out.toByteArray());
    BundleWriter.Proto meta = new BundleWriter.Proto().bytes(2, graph.out.toByteArray());
    BundleWriter.Proto sm = new BundleWriter.Proto().varint(1, 1).bytes(2, meta.out.toByteArray());
    Path g = Files.createDirectories(root.resolve("savedModelGraph"));
    Files.write(g.resolve("graph-and-function.pb"), sm.out.toByteArray());
  }
}
