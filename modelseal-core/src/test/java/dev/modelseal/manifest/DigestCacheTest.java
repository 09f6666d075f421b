package dev.modelseal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestCacheTest {
  @TempDir Path tmp;
  Path model;
  Path cacheFile;
  List<String> warnings = new ArrayList<>();

  @BeforeEach
  void model() throws Exception {
    model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("README.md"), "# model\n");
    Files.write(model.resolve("weights.bin"), new byte[3 * 1024 * 1024 + 17]);
    Files.writeString(model.resolve("config.json"), "{\"layers\": 3}");
    cacheFile = tmp.resolve("digests.cache");
  }

  private DigestCache open() {
    return DigestCache.open(cacheFile, warnings::add, Duration.ZERO);
  }

  private Manifest hash(Serialization s, DigestCache c) throws Exception {
    ModelTree tree = ModelWalker.with(s.walk()).walk(model);
    ModelHasher h = ModelHasher.of(s);
    return (c == null ? h : h.cache(c)).hash(tree);
  }

  private static Serialization files() {
    return Serialization.files(HashAlgorithm.SHA256, WalkOptions.defaults());
  }

  @Test
  void unchangedFilesComeFromTheCacheAndTheResultIsTheSame() throws Exception {
    DigestCache first = open();
    Manifest m1 = hash(files(), first);
    assertThat(first.hits()).isZero();
    first.save();
    assertThat(Files.getPosixFilePermissions(cacheFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    DigestCache second = open();
    Manifest m2 = hash(files(), second);
    assertThat(second.hits()).isEqualTo(3);
    assertThat(m2.root()).isEqualTo(m1.root());
    assertThat(m2.resources()).isEqualTo(m1.resources());
    assertThat(warnings).isEmpty();
  }

  @Test
  void shardsAndAlgorithmsAreKeyedApart() throws Exception {
    DigestCache c = open();
    hash(files(), c);
    c.save();
    Serialization shards =
        Serialization.shards(HashAlgorithm.SHA256, 1 << 20, WalkOptions.defaults());
    DigestCache s = open();
    Manifest m = hash(shards, s);
    assertThat(s.hits()).isZero();
    assertThat(m.root()).isEqualTo(hash(shards, null).root());
    s.save();
    DigestCache again = open();
    hash(shards, again);
    assertThat(again.hits()).isEqualTo(m.resources().size());
    Serialization blake = Serialization.files(HashAlgorithm.BLAKE2B, WalkOptions.defaults());
    DigestCache b = open();
    assertThat(hash(blake, b).root()).isEqualTo(hash(blake, null).root());
    assertThat(b.hits()).isZero();
  }

  @Test
  void contentChangedWithItsMtimeRestoredIsReHashed() throws Exception {
    DigestCache c = open();
    hash(files(), c);
    c.save();
    Path readme = model.resolve("README.md");
    Path ref = tmp.resolve("ref");
    run("touch", "-r", readme.toString(), ref.toString());
    long mtime = Files.getLastModifiedTime(readme).to(TimeUnit.NANOSECONDS);
    Thread.sleep(20); // the next ctime tick
    Files.writeString(readme, "# MODEL\n"); // same size, other bytes
    run("touch", "-r", ref.toString(), readme.toString());
    assertThat(Files.getLastModifiedTime(readme).to(TimeUnit.NANOSECONDS)).isEqualTo(mtime);
    DigestCache again = open();
    Manifest m = hash(files(), again);
    assertThat(again.hits()).isEqualTo(2);
    assertThat(m.root()).isEqualTo(hash(files(), null).root());
    assertThat(digestOf(m, "README.md"))
        .isEqualTo(HashAlgorithm.SHA256.hash("# MODEL\n".getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] digestOf(Manifest m, String name) {
    for (ResourceDigest r : m.resources()) {
      if (r.name().equals(name)) {
        return r.digest().bytes();
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void filesYoungerThanTheMinimumAgeAreNotRecorded() throws Exception {
    DigestCache c = DigestCache.open(cacheFile, warnings::add);
    hash(files(), c);
    c.save();
    DigestCache again = DigestCache.open(cacheFile, warnings::add);
    hash(files(), again);
    assertThat(again.hits()).isZero();
  }

  @Test
  void corruptForeignAndOpenCachesAreIgnoredWithAWarning() throws Exception {
    DigestCache c = open();
    Manifest good = hash(files(), c);
    c.save();
    String text = Files.readString(cacheFile);
    List<String> bad =
        List.of(
            "",
            "something else\n",
            text.replace("sha256", "md5"),
            text.substring(0, text.length() - 1),
            text + "1 2 3\n",
            text + "1 2 3 4 5 sha256 0 0 9 00\n",
            text + "1 2 3 4 5 sha256 0 0 3 " + "zz".repeat(32) + "\n",
            text + "x".repeat(600) + "\n");
    for (String b : bad) {
      Files.writeString(cacheFile, b);
      Files.setPosixFilePermissions(cacheFile, PosixFilePermissions.fromString("rw-------"));
      warnings.clear();
      DigestCache d = open();
      assertThat(hash(files(), d).root()).isEqualTo(good.root());
      assertThat(d.hits()).as(b).isZero();
      assertThat(warnings).as(b).hasSize(1);
      assertThat(warnings.get(0)).startsWith(cacheFile + ": digest cache ignored: ");
    }
    Files.writeString(cacheFile, text);
    Files.setPosixFilePermissions(cacheFile, PosixFilePermissions.fromString("rw-r--r--"));
    warnings.clear();
    assertThat(hash(files(), open()).root()).isEqualTo(good.root());
    assertThat(warnings).singleElement().asString().contains("0600");
    Files.delete(cacheFile);
    Files.createSymbolicLink(cacheFile, model.resolve("README.md"));
    warnings.clear();
    open();
    assertThat(warnings).singleElement().asString().contains("not a regular file");
  }

  @Test
  void aMissingCacheIsEmptyAndSilent() throws Exception {
    DigestCache c = open();
    hash(files(), c);
    assertThat(c.hits()).isZero();
    assertThat(warnings).isEmpty();
  }

  @Test
  void notWithAContentSink() throws Exception {
    ModelTree tree = ModelWalker.with(WalkOptions.defaults()).walk(model);
    assertThatThrownBy(
            () -> ModelHasher.of(files()).cache(open()).hash(tree, (f, pos, b, off, len) -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}
