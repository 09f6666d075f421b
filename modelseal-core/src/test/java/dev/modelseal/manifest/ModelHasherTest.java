package dev.modelseal.manifest;

import static dev.modelseal.testing.TempModels.bytes;
import static dev.modelseal.testing.TempModels.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.ModelChangedException;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelHasherTest {
  @TempDir Path dir;

  private static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  private static ModelTree tree(Path p) throws Exception {
    return ModelWalker.with(WalkOptions.defaults()).walk(p);
  }

  @Test
  void files_rootIsSha256OverConcatenatedFileDigests() throws Exception {
    byte[] a = bytes(1000, 1);
    byte[] b = bytes(5 * 1024 * 1024, 2); // above the small-file threshold: mapped path
    write(dir, "a.bin", a);
    write(dir, "sub/b.bin", b);
    write(dir, "z.bin", new byte[0]);
    Manifest m = ModelHasher.of(Serialization.defaults()).hash(tree(dir));
    assertThat(m.resources())
        .extracting(ResourceDigest::name)
        .containsExactly("a.bin", "sub/b.bin", "z.bin");
    byte[] da = sha256(a);
    byte[] db = sha256(b);
    byte[] dz = sha256();
    assertThat(m.resources().get(1).digest().bytes()).isEqualTo(db);
    assertThat(m.resources().get(2).size()).isZero();
    assertThat(m.root().bytes()).isEqualTo(sha256(da, db, dz));
    assertThat(m.modelName()).isEqualTo(dir.getFileName().toString());
  }

  @Test
  void largeFile_manyBufferFills_matchesJdkDigest() throws Exception {
    byte[] chunk = bytes(1024 * 1024, 7);
    Path f = dir.resolve("big.bin");
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (var out = Files.newOutputStream(f)) {
      for (int i = 0; i < 70; i++) { // 70 MiB: over a thousand buffer fills
        chunk[0] = (byte) i;
        out.write(chunk);
        md.update(chunk);
      }
    }
    Manifest m = ModelHasher.of(Serialization.defaults()).hash(tree(f));
    assertThat(m.resources().get(0).digest().bytes()).isEqualTo(md.digest());
  }

  @Test
  void shards_namedPathStartEnd_emptyFilesHaveNoShard() throws Exception {
    byte[] a = bytes(25, 3);
    write(dir, "a.bin", a);
    write(dir, "empty.bin", new byte[0]);
    Serialization s = Serialization.shards(HashAlgorithm.SHA256, 10, WalkOptions.defaults());
    Manifest m = ModelHasher.of(s).hash(tree(dir));
    assertThat(m.resources())
        .extracting(ResourceDigest::name)
        .containsExactly("a.bin:0:10", "a.bin:10:20", "a.bin:20:25");
    assertThat(m.resources().get(2).digest().bytes())
        .isEqualTo(sha256(java.util.Arrays.copyOfRange(a, 20, 25)));
  }

  @Test
  void shards_sortedByCodePointOfWholeName() throws Exception {
    write(dir, "a.bin", bytes(120, 3));
    Serialization s = Serialization.shards(HashAlgorithm.SHA256, 10, WalkOptions.defaults());
    List<String> names =
        ModelHasher.of(s).hash(tree(dir)).resources().stream().map(ResourceDigest::name).toList();
    assertThat(names).startsWith("a.bin:0:10", "a.bin:100:110", "a.bin:10:20");
  }

  @Test
  void blake2b_matchesKnownAnswer() {
    // RFC 7693 Appendix A: BLAKE2b-512("abc")
    String expected =
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";
    assertThat(HexFormat.of().formatHex(HashAlgorithm.BLAKE2B.hash("abc".getBytes())))
        .isEqualTo(expected);
  }

  @Test
  void blake2b_resourcesUseBlake2bRootStaysSha256() throws Exception {
    byte[] a = bytes(100, 4);
    write(dir, "a.bin", a);
    Manifest m =
        ModelHasher.of(Serialization.files(HashAlgorithm.BLAKE2B, WalkOptions.defaults()))
            .hash(tree(dir));
    byte[] d = HashAlgorithm.BLAKE2B.hash(a);
    assertThat(m.resources().get(0).digest().algorithm()).isEqualTo("blake2b");
    assertThat(m.root().bytes()).isEqualTo(sha256(d));
    assertThat(m.root().algorithm()).isEqualTo("sha256");
  }

  @Test
  void parallelAndSequential_giveTheSameManifest() throws Exception {
    for (int i = 0; i < 300; i++) {
      write(dir, "f" + i + ".bin", bytes(i * 37, i));
    }
    write(dir, "big.bin", bytes(9 * 1024 * 1024, 99));
    Serialization s = Serialization.defaults();
    Manifest one = ModelHasher.of(s).threads(1).hash(tree(dir));
    Manifest four = ModelHasher.of(s).threads(4).hash(tree(dir));
    assertThat(four).isEqualTo(one);
  }

  @Test
  void progress_reportsEveryByte() throws Exception {
    write(dir, "a.bin", bytes(3 * 1024 * 1024, 1));
    write(dir, "b.bin", bytes(6 * 1024 * 1024, 2));
    AtomicLong seen = new AtomicLong();
    AtomicLong total = new AtomicLong();
    HashProgress p =
        new HashProgress() {
          @Override
          public void start(long t) {
            total.set(t);
          }

          @Override
          public void advance(long n) {
            seen.addAndGet(n);
          }
        };
    ModelHasher.of(Serialization.defaults()).progress(p).hash(tree(dir));
    assertThat(total.get()).isEqualTo(9 * 1024 * 1024);
    assertThat(seen.get()).isEqualTo(total.get());
  }

  @Test
  void fileModifiedWhileHashed_isAnErrorNotADigest() throws Exception {
    Path f = write(dir, "model.bin", bytes(8 * 1024 * 1024, 5));
    ModelTree t = tree(dir);
    AtomicBoolean done = new AtomicBoolean();
    ContentSink tamper =
        (file, pos, buf, off, len) -> {
          if (done.compareAndSet(false, true)) {
            try (var ch = Files.newByteChannel(f, StandardOpenOption.WRITE)) {
              ch.position(7 * 1024 * 1024).write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
            }
            Files.setLastModifiedTime(
                f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
          }
        };
    assertThatThrownBy(() -> ModelHasher.of(Serialization.defaults()).hash(t, tamper))
        .isInstanceOf(ModelChangedException.class)
        .hasMessageContaining("model.bin")
        .hasMessageContaining("changed while it was read");
  }

  @Test
  void fileTruncatedWhileHashed_isAnError() throws Exception {
    Path f = write(dir, "model.bin", bytes(80 * 1024 * 1024, 5));
    ModelTree t = tree(dir);
    AtomicBoolean done = new AtomicBoolean();
    ContentSink truncate =
        (file, pos, buf, off, len) -> {
          if (done.compareAndSet(false, true)) {
            try (var ch = Files.newByteChannel(f, StandardOpenOption.WRITE)) {
              ch.truncate(1024);
            }
          }
        };
    assertThatThrownBy(() -> ModelHasher.of(Serialization.defaults()).hash(t, truncate))
        .isInstanceOf(ModelChangedException.class)
        .hasMessageContaining("model.bin");
  }

  @Test
  void fileGrownSinceWalk_isAnError() throws Exception {
    Path f = write(dir, "model.bin", bytes(1000, 5));
    ModelTree t = tree(dir);
    Files.write(f, new byte[] {1}, StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ModelHasher.of(Serialization.defaults()).hash(t))
        .isInstanceOf(ModelChangedException.class)
        .hasMessageContaining("changed size");
  }

  @Test
  void fileDeletedSinceWalk_isAnError() throws Exception {
    Path f = write(dir, "model.bin", bytes(1000, 5));
    write(dir, "other.bin", bytes(10, 5));
    ModelTree t = tree(dir);
    Files.delete(f);
    assertThatThrownBy(() -> ModelHasher.of(Serialization.defaults()).hash(t))
        .isInstanceOf(ModelChangedException.class)
        .hasMessageContaining("disappeared");
  }

  @Test
  void sinkFailure_stopsHashing() throws Exception {
    write(dir, "model.bin", bytes(1000, 5));
    ContentSink failing =
        (file, pos, buf, off, len) -> {
          throw new IOException("disk full");
        };
    assertThatThrownBy(() -> ModelHasher.of(Serialization.defaults()).hash(tree(dir), failing))
        .hasMessageContaining("disk full");
  }
}
