package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashLockCheckCommandTest {
  @TempDir Path dir;

  private Path model() throws Exception {
    Path m = dir.resolve("model");
    Files.createDirectories(m.resolve("sub"));
    Files.writeString(m.resolve("a.bin"), "alpha");
    Files.writeString(m.resolve("b.bin"), "beta");
    Files.writeString(m.resolve("sub/c.bin"), "gamma");
    return m;
  }

  @Test
  void hash_printsRootDigestOnly() throws Exception {
    CliRun r = CliRun.of("hash", model().toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).matches("sha256:[0-9a-f]{64}\\R");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void hash_json_listsEveryResource() throws Exception {
    CliRun r = CliRun.of("hash", "--json", model().toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("\"name\" : \"sub/c.bin\"", "\"size\" : 5", "\"method\" : \"files\"", "\"root\"");
  }

  @Test
  void hash_optionsChangeTheDigest() throws Exception {
    Path m = model();
    String plain = CliRun.of("hash", m.toString()).out();
    assertThat(CliRun.of("hash", "--hash", "blake2b", m.toString()).out()).isNotEqualTo(plain);
    assertThat(CliRun.of("hash", "--shard-size", "2", m.toString()).out()).isNotEqualTo(plain);
    assertThat(CliRun.of("hash", "--ignore", "sub", m.toString()).out()).isNotEqualTo(plain);
    assertThat(CliRun.of("hash", "--ignore", m.resolve("sub").toString(), m.toString()).out())
        .isEqualTo(CliRun.of("hash", "--ignore", "sub", m.toString()).out());
  }

  @Test
  void hash_missingPath_exit2OneLine() {
    CliRun r = CliRun.of("hash", dir.resolve("missing").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo("modelseal: " + dir.resolve("missing") + ": no such file or directory\n");
  }

  @Test
  void hash_badOption_exit2() throws Exception {
    CliRun r = CliRun.of("hash", "--hash", "md5", model().toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("md5");
  }

  @Test
  void lockThenCheck_matchExit0_thenNamesEachChangeExit1() throws Exception {
    Path m = model();
    Path lock = dir.resolve("modelseal.lock");
    CliRun l = CliRun.of("lock", m.toString(), "-o", lock.toString());
    assertThat(l.code()).isZero();
    assertThat(Files.readString(lock)).contains("\"path\" : \"model\"");
    CliRun ok = CliRun.of("check", m.toString(), "--lock", lock.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).startsWith("OK ");

    Files.writeString(m.resolve("a.bin"), "ALPHA");
    Files.delete(m.resolve("b.bin"));
    Files.writeString(m.resolve("sub/new.bin"), "new");
    CliRun bad = CliRun.of("check", m.toString(), "--lock", lock.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out())
        .contains("MISMATCH", "modified a.bin", "missing  b.bin", "extra    sub/new.bin");
    CliRun json = CliRun.of("check", "--json", m.toString(), "--lock", lock.toString());
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.out()).contains("\"verified\" : false", "\"modified\" : [ \"a.bin\" ]");
  }

  @Test
  void checkDigest_matchAndMismatch() throws Exception {
    Path m = model();
    String root = CliRun.of("hash", m.toString()).out().trim();
    assertThat(CliRun.of("check", m.toString(), "--digest", root).code()).isZero();
    Files.writeString(m.resolve("a.bin"), "changed");
    CliRun r = CliRun.of("check", m.toString(), "--digest", root);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("expected " + root);
  }

  @Test
  void check_malformedLock_exit2OneLine() throws Exception {
    Path m = model();
    Path lock = Files.writeString(dir.resolve("bad.lock"), "{\"lockVersion\": 1, \"models\": [");
    CliRun r = CliRun.of("check", m.toString(), "--lock", lock.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("modelseal: " + lock + ": malformed lock file: not valid JSON");
    assertThat(r.err().strip()).doesNotContain("\n");
  }

  @Test
  void check_malformedDigest_exit2() throws Exception {
    CliRun r = CliRun.of("check", model().toString(), "--digest", "sha256:1234");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("64 hex digits");
  }

  @Test
  void check_needsExactlyOneOfDigestOrLock() throws Exception {
    assertThat(CliRun.of("check", model().toString()).code()).isEqualTo(2);
    assertThat(
            CliRun.of(
                    "check",
                    model().toString(),
                    "--digest",
                    "sha256:" + "0".repeat(64),
                    "--lock",
                    "x")
                .code())
        .isEqualTo(2);
  }

  @Test
  void check_lockWithHashOptions_exit2() throws Exception {
    Path m = model();
    Path lock = dir.resolve("modelseal.lock");
    CliRun.of("lock", m.toString(), "-o", lock.toString());
    CliRun r = CliRun.of("check", m.toString(), "--lock", lock.toString(), "--hash", "blake2b");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("carries its own hash options");
  }

  @Test
  void lock_multipleModels_eachCheckable() throws Exception {
    Path m = model();
    Path single = Files.write(dir.resolve("w.safetensors"), new byte[] {1, 2, 3});
    Path lock = dir.resolve("modelseal.lock");
    assertThat(CliRun.of("lock", m.toString(), single.toString(), "-o", lock.toString()).code())
        .isZero();
    assertThat(CliRun.of("check", single.toString(), "--lock", lock.toString()).code()).isZero();
    assertThat(CliRun.of("check", m.toString(), "--lock", lock.toString()).code()).isZero();
  }

  @Test
  void hash_largeDirectory_sameAsSequentialRecomputation() throws Exception {
    Path m = dir.resolve("many");
    Random rnd = new Random(1);
    for (int i = 0; i < 50; i++) {
      byte[] b = new byte[rnd.nextInt(100_000)];
      rnd.nextBytes(b);
      Files.createDirectories(m.resolve("d" + (i % 7)));
      Files.write(m.resolve("d" + (i % 7) + "/f" + i), b);
    }
    String a = CliRun.of("hash", m.toString()).out();
    String b = CliRun.of("hash", m.toString()).out();
    assertThat(a).isEqualTo(b).startsWith("sha256:");
  }
}
