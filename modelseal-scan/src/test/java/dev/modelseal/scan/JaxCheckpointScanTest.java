package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JAX checkpoints as flax and Orbax write them (the formats module's fixtures, written by flax
 * 0.12.8 and orbax-checkpoint, see their generators): clean, with every file classified, and the
 * same files made hostile are still found.
 */
class JaxCheckpointScanTest {
  private static final Path FIXTURES = Path.of("../modelseal-formats/src/test/resources/fixtures");

  @TempDir Path tmp;

  private static ScanReport scan(Path p) {
    return ModelScanner.create().scan(p);
  }

  @Test
  void flaxMsgpackFixtures_areClean_butTheUnsupportedDtypeIsLow() {
    ScanReport r = scan(FIXTURES.resolve("flax"));
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo("flax.unsupported");
              assertThat(f.severity()).isEqualTo(Severity.LOW);
              assertThat(f.file()).endsWith("unsupported_int4.msgpack");
            });
    assertThat(r.skipped()).noneMatch(s -> s.file().endsWith(".msgpack"));
  }

  @Test
  void flaxMsgpack_withBytesAfterIt_isMalformed() throws IOException {
    byte[] good = Files.readAllBytes(FIXTURES.resolve("flax/common.msgpack"));
    byte[] zip = Files.readAllBytes(Fixtures.of("nested.zip"));
    Path polyglot = tmp.resolve("flax_model.msgpack");
    Files.write(polyglot, concat(good, zip));
    ScanReport r = scan(polyglot);
    assertThat(r.findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("flax.malformed");
              assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
              assertThat(f.message()).contains("more bytes");
            });
  }

  @Test
  void orbaxZarrCheckpoint_isClean_everyChunkListedAsArrayData() throws IOException {
    Path dir = FIXTURES.resolve("orbax/common");
    ScanReport r = scan(dir);
    assertThat(r.findings()).isEmpty();
    long chunks;
    try (Stream<Path> s = Files.walk(dir)) {
      chunks =
          s.filter(Files::isRegularFile)
              .map(p -> dir.relativize(p).toString())
              .filter(rel -> rel.endsWith("/c") || rel.contains("/c/"))
              .count();
    }
    assertThat(chunks).isPositive();
    assertThat(r.skipped().stream().filter(s -> s.reason().contains("zarr array")).count())
        .isEqualTo(chunks);
  }

  @Test
  void orbaxZarrCheckpoint_foreignFilesAmongTheChunks_areStillReported() throws IOException {
    Path dir = copy(FIXTURES.resolve("orbax/common"), tmp.resolve("ckpt"));
    // Not a chunk name: unknown content, as anywhere else.
    Files.write(dir.resolve("params.f32/c/notes.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    // A chunk name holding a pickle: what the pickle rule finds is kept.
    Files.copy(Fixtures.of("eval_p2.pkl"), dir.resolve("params.f32/c/0/1"));
    ScanReport r = scan(dir);
    assertThat(r.findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("scan.unknown-format");
              assertThat(f.file()).endsWith("notes.bin");
            })
        .anySatisfy(
            f -> {
              assertThat(f.file()).endsWith("c/0/1");
              assertThat(f.severity()).isGreaterThanOrEqualTo(Severity.HIGH);
            });
    // Without the array's metadata, its chunks are unknown compressed content again.
    Files.delete(dir.resolve("params.f16/zarr.json"));
    assertThat(scan(dir).findings())
        .anyMatch(
            f -> f.file().endsWith("params.f16/c/0") && f.rule().equals("container.unsupported"));
  }

  @Test
  void zarrV2Array_chunksWithEitherSeparator_areArrayData() throws IOException {
    for (String sep : List.of(".", "/")) {
      Path a = Files.createDirectories(tmp.resolve("v2" + (sep.equals(".") ? "dot" : "slash")));
      Files.writeString(
          a.resolve(".zarray"),
          "{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [2, 2], \"dtype\": \"<f4\","
              + " \"compressor\": null, \"fill_value\": 0, \"order\": \"C\", \"filters\": null"
              + (sep.equals("/") ? ", \"dimension_separator\": \"/\"" : "")
              + "}");
      Path chunk = a.resolve("0" + sep + "1");
      Files.createDirectories(chunk.getParent());
      Files.write(chunk, new byte[16]);
      ScanReport r = scan(a);
      assertThat(r.findings()).as(sep).isEmpty();
      assertThat(r.skipped()).anyMatch(s -> s.reason().contains("zarr array"));
    }
  }

  @Test
  void orbaxOcdbtCheckpoint_isClean_everyFileClassified() throws IOException {
    Path dir = FIXTURES.resolve("orbax/ocdbt");
    ScanReport r = scan(dir);
    assertThat(r.findings()).isEmpty();
    // every manifest and data file of the store (all but orbax's three JSON/text files)
    long storeFiles;
    try (var s = Files.walk(dir)) {
      storeFiles =
          s.filter(Files::isRegularFile)
              .map(p -> p.getFileName().toString())
              .filter(
                  n ->
                      !n.equals("_METADATA")
                          && !n.equals("_CHECKPOINT_METADATA")
                          && !n.equals("commit_success.txt"))
              .count();
    }
    assertThat(storeFiles).isGreaterThanOrEqualTo(4);
    assertThat(r.skipped().stream().filter(s -> s.reason().contains("OCDBT")).count())
        .isEqualTo(storeFiles);
  }

  @Test
  void ocdbtFile_changedOrTruncated_isMalformed() throws IOException {
    Path manifest = FIXTURES.resolve("orbax/ocdbt/manifest.ocdbt");
    byte[] b = Files.readAllBytes(manifest);
    for (int i = 12; i < b.length; i += 7) {
      byte[] m = b.clone();
      m[i] ^= 0x10;
      Path f = Files.write(tmp.resolve("manifest.ocdbt"), m);
      assertThat(scan(f).findings())
          .as("byte %d", i)
          .singleElement()
          .satisfies(x -> assertThat(x.rule()).isEqualTo("ocdbt.malformed"));
    }
    Path cut = Files.write(tmp.resolve("cut.ocdbt"), java.util.Arrays.copyOf(b, b.length - 1));
    assertThat(scan(cut).findings())
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("length field"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }
}
