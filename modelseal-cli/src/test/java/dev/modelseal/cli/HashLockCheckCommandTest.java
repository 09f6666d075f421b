package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
  void hash_printsRootThenPin_orThePinAlone() throws Exception {
    CliRun r = CliRun.of("hash", model().toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).matches("sha256:[0-9a-f]{64}\npin:v1:sha256:[0-9a-f]{64}\n");
    assertThat(r.err()).isEmpty();
    CliRun p = CliRun.of("hash", model().toString(), "--pin");
    assertThat(p.code()).isZero();
    assertThat(p.out()).isEqualTo(r.out().split("\n")[1] + "\n");
  }

  @Test
  void hash_json_listsEveryResource() throws Exception {
    CliRun r = CliRun.of("hash", "--json", model().toString());
    assertThat(r.code()).isZero();
    String[] plain = CliRun.of("hash", model().toString()).out().split("\n");
    assertThat(r.out())
        .contains("\"name\" : \"sub/c.bin\"", "\"size\" : 5", "\"method\" : \"files\"")
        .contains("\"root\" : \"" + plain[0] + "\"", "\"pin\" : \"" + plain[1] + "\"");
  }

  @Test
  void check_renamedFilesThatKeepTheOmsRoot_refusedByThePin() throws Exception {
    Path m = Files.createDirectories(dir.resolve("swap"));
    Files.writeString(m.resolve("model.onnx"), "approved model");
    Files.writeString(m.resolve("model_old.onnx"), "old model");
    String[] approved = CliRun.of("hash", m.toString()).out().split("\n");
    Path lock = dir.resolve("swap.lock");
    assertThat(CliRun.of("lock", m.toString(), "-o", lock.toString()).code()).isZero();
    assertThat(CliRun.of("check", m.toString(), "--digest", approved[1]).out())
        .isEqualTo("OK " + m + " matches " + approved[1] + "\n");
    Files.move(m.resolve("model.onnx"), m.resolve("model-a.onnx"));
    Files.move(m.resolve("model_old.onnx"), m.resolve("model.onnx"));
    String[] swapped = CliRun.of("hash", m.toString()).out().split("\n");
    assertThat(swapped[0]).isEqualTo(approved[0]); // the OMS root does not see the renames

    CliRun byPin = CliRun.of("check", m.toString(), "--digest", approved[1]);
    assertThat(byPin.code()).isEqualTo(1);
    assertThat(byPin.out()).contains("MISMATCH", "expected " + approved[1], swapped[1]);
    CliRun byLock = CliRun.of("check", m.toString(), "--lock", lock.toString());
    assertThat(byLock.code()).isEqualTo(1);
    assertThat(byLock.out()).contains("modified model.onnx", "extra    model-a.onnx");

    CliRun byRoot = CliRun.of("check", m.toString(), "--digest", approved[0]);
    assertThat(byRoot.code()).isEqualTo(2);
    assertThat(byRoot.out()).isEmpty();
    assertThat(byRoot.err())
        .startsWith("modelseal: --digest " + approved[0] + " is an OMS root digest")
        .contains("does not bind file names", "--allow-oms-root")
        .endsWith("\n");
    assertThat(byRoot.err().strip()).doesNotContain("\n");
    CliRun relaxed = CliRun.of("check", m.toString(), "--digest", approved[0], "--allow-oms-root");
    assertThat(relaxed.code()).isZero();
    assertThat(relaxed.out()).isEqualTo("OK " + m + " matches " + approved[0] + "\n");
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
  @Timeout(120)
  void fifoAndDevice_givenDirectly_refusedExit2OneLine_neverAHang() throws Exception {
    Path fifo = dir.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Path key = TestKeys.ecP256(dir).key();
    String pin = "pin:v1:sha256:" + "0".repeat(64);
    for (String special : List.of(fifo.toString(), "/dev/null")) {
      List<String[]> commands =
          List.<String[]>of(
              new String[] {"hash", special},
              new String[] {"hash", special, "--json"},
              new String[] {"lock", special, "-o", dir.resolve("x.lock").toString()},
              new String[] {"check", special, "--digest", pin},
              new String[] {"sign", special, "--key", key.toString(), "-o", dir + "/x.sig"});
      for (String[] c : commands) {
        CliRun r = CliRun.of(c);
        assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
        assertThat(r.err())
            .isEqualTo(
                "modelseal: "
                    + special
                    + ": not a regular file or directory (FIFOs, sockets and devices are"
                    + " refused)\n");
      }
    }
    assertThat(dir.resolve("x.lock")).doesNotExist();
    assertThat(dir.resolve("x.sig")).doesNotExist();
  }

  @Test
  void procFile_whoseSizeIsZero_refusedInsteadOfHashedAsEmpty() throws Exception {
    Path status = Path.of("/proc/self/status");
    Assumptions.assumeTrue(Files.isRegularFile(status) && Files.size(status) == 0, "no procfs");
    for (String[] c :
        List.of(
            new String[] {"hash", status.toString()},
            new String[] {"hash", status.toString(), "--shard-size", "4"},
            new String[] {"lock", status.toString(), "-o", dir.resolve("p.lock").toString()})) {
      CliRun r = CliRun.of(c);
      assertThat(r.code()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err())
          .startsWith("modelseal: /proc/self/status: has more bytes than its size of 0")
          .endsWith("refused\n");
    }
    assertThat(dir.resolve("p.lock")).doesNotExist();
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
    String root = CliRun.of("hash", m.toString(), "--pin").out().trim();
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
