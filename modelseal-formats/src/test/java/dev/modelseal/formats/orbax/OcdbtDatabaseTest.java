package dev.modelseal.formats.orbax;

import static dev.modelseal.formats.orbax.OcdbtEncoder.encode;
import static dev.modelseal.formats.orbax.OcdbtEncoder.interiorBody;
import static dev.modelseal.formats.orbax.OcdbtEncoder.manifestBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-built OCDBT stores ({@link OcdbtEncoder}) holding one float32 array {@code w}: the valid
 * store reads, plain and zstd-compressed; each store broken in one way (a data file path out of the
 * checkpoint or through a link, a value or node outside its file, keys out of order, one leaf
 * referenced twice, a wrong child height, a damaged checksum or length, a node over the limit, a
 * zstd bomb, a missing manifest) fails closed with a one-line {@link FormatException} naming the
 * reason.
 */
class OcdbtDatabaseTest {
  private static final byte[] CHUNK = OcdbtEncoder.CHUNK;
  private static final List<String> KEYS = List.of("w/.zarray", "w/0");

  @TempDir Path tmp;

  /** A store: the chunk at d/values:4, the leaf at d/nodes:0; the manifest points at the leaf. */
  private Path store(String name, byte[] leaf, boolean zstd) throws IOException {
    Path dir = tmp.resolve(name);
    byte[] node = encode(OcdbtDatabase.BTREE_MAGIC, leaf, zstd);
    OcdbtEncoder.writeCheckpoint(
        dir,
        encode(
            OcdbtDatabase.MANIFEST_MAGIC,
            manifestBody(List.of("d/nodes"), 0, 0, node.length, 0),
            zstd),
        node);
    return dir;
  }

  private static byte[] leaf(String dataPath, List<String> keys, long chunkOffset) {
    return OcdbtEncoder.leaf(dataPath, keys, chunkOffset);
  }

  private Path valid(String name, boolean zstd) throws IOException {
    return store(name, leaf("d/values", KEYS, 4), zstd);
  }

  @Test
  void aHandBuiltStore_reads_plainAndCompressed() throws Exception {
    for (boolean zstd : new boolean[] {false, true}) {
      Path dir = valid("ok" + zstd, zstd);
      Fingerprint f = Fingerprinter.create().fingerprint(dir);
      assertThat(f.tensors()).hasSize(1);
      assertThat(f.tensors().get(0).name()).isEqualTo("w");
      try (TensorModel m = FormatDetector.create().open(dir)) {
        assertThat(m.metadata())
            .containsEntry("orbax.ocdbt_keys", "2")
            .containsEntry("orbax.ocdbt_generation", "1");
      }
    }
    assertThat(Fingerprinter.create().fingerprint(valid("a", false)).weights())
        .isEqualTo(Fingerprinter.create().fingerprint(valid("b", true)).weights());
  }

  @Test
  void dataFilePaths_outsideTheCheckpointOrThroughLinks_areRefused() throws Exception {
    Files.write(tmp.resolve("outside"), CHUNK);
    Path up = store("up", leaf("../outside", KEYS, 0), false);
    fails(up, "not a relative path of plain names");
    Path abs = store("abs", leaf("/etc/passwd", KEYS, 0), false);
    fails(abs, "not a relative path of plain names");
    Path link = store("link", leaf("d/link", KEYS, 0), false);
    Files.createSymbolicLink(link.resolve("d/link"), tmp.resolve("outside"));
    fails(link, "goes through a link");
    Path missing = store("missing", leaf("d/none", KEYS, 0), false);
    fails(missing, "missing or not a regular file");
  }

  @Test
  void regionsOutsideTheirFiles_areRefused() throws Exception {
    Path far = store("far", leaf("d/values", KEYS, 1L << 40), false);
    fails(far, "outside its data file");
    Path dir = valid("short", false);
    byte[] node = Files.readAllBytes(dir.resolve("d/nodes"));
    Files.write(dir.resolve("d/nodes"), java.util.Arrays.copyOf(node, node.length - 3));
    fails(dir, "outside its data file");
  }

  @Test
  void keysOutOfOrder_orALeafReferencedTwice_areRefused() throws Exception {
    Path order = store("order", leaf("d/values", List.of("w/0", "w/.zarray"), 4), false);
    fails(order, "increasing order");
    // an interior root whose two children are the same leaf: its keys would come twice
    Path dir = valid("twice", false);
    byte[] leafNode = Files.readAllBytes(dir.resolve("d/nodes"));
    long[] child = {0, 0, leafNode.length};
    byte[] root =
        encode(
            OcdbtDatabase.BTREE_MAGIC,
            interiorBody(1, List.of("d/nodes"), List.of("a", "b"), List.of(child, child)),
            false);
    Files.write(dir.resolve("d/root"), root);
    Files.write(
        dir.resolve("manifest.ocdbt"),
        encode(
            OcdbtDatabase.MANIFEST_MAGIC,
            manifestBody(List.of("d/root"), 0, 0, root.length, 1),
            false));
    fails(dir, "a key repeats");
    // the same root declared as a leaf in the manifest: the height disagrees
    Files.write(
        dir.resolve("manifest.ocdbt"),
        encode(
            OcdbtDatabase.MANIFEST_MAGIC,
            manifestBody(List.of("d/root"), 0, 0, root.length, 0),
            false));
    fails(dir, "height");
  }

  @Test
  void damagedHeaders_failTheirChecks() throws Exception {
    Path crc = valid("crc", true);
    byte[] m = Files.readAllBytes(crc.resolve("manifest.ocdbt"));
    m[m.length - 6] ^= 1;
    Files.write(crc.resolve("manifest.ocdbt"), m);
    fails(crc, "CRC-32C");
    Path len = valid("len", false);
    byte[] n = Files.readAllBytes(len.resolve("manifest.ocdbt"));
    Files.write(len.resolve("manifest.ocdbt"), java.util.Arrays.copyOf(n, n.length + 1));
    fails(len, "its header says");
    Path magic = valid("magic", false);
    Files.write(magic.resolve("manifest.ocdbt"), new byte[64]);
    fails(magic, "magic number");
    // a body that ends inside a field: a leaf claiming a million entries
    Path trunc =
        store(
            "trunc",
            new OcdbtEncoder().u8(0).table(List.of("d/values")).varint(1 << 20).build(),
            false);
    fails(trunc, "num_entries is 1048576, over the limit");
  }

  @Test
  void aNodeOverTheLimit_isRefusedBeforeItIsRead() throws Exception {
    Path dir = valid("limit", false);
    ReadLimits small = ReadLimits.builder().indexBytes(64).build();
    assertThatThrownBy(() -> OrbaxReader.open(dir, small))
        .isInstanceOf(LimitExceededException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aZstdBomb_isCutAtTheLimit() throws Exception {
    // a leaf padded with 32 MiB of zeros: a few kilobytes compressed
    byte[] leaf = leaf("d/values", KEYS, 4);
    byte[] padded = java.util.Arrays.copyOf(leaf, leaf.length + (32 << 20));
    Path dir = store("bomb", padded, true);
    assertThat(Files.size(dir.resolve("d/nodes"))).isLessThan(1 << 20);
    ReadLimits small = ReadLimits.builder().indexBytes(4 << 20).build();
    assertThatThrownBy(() -> OrbaxReader.open(dir, small))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("decoded size");
  }

  @Test
  void anUnfinishedSave_withoutItsManifest_isRefused() throws Exception {
    Path dir = valid("unfinished", false);
    Files.delete(dir.resolve("manifest.ocdbt"));
    assertThatThrownBy(() -> OrbaxReader.open(dir, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("manifest.ocdbt is missing");
  }

  private static void fails(Path dir, String reason) {
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(dir))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(300));
  }
}
