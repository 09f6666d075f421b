package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in a separate JVM: memory limits and operating-system permissions. */
class ForkedCliTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result java(List<String> prefix, List<String> jvm, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.modelseal.cli.Main");
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("CLI did not finish");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void hash_8GiBModelWithA128MiBHeap() throws Exception {
    long size = 8L << 30;
    Path model = dir.resolve("model.bin");
    try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
      f.setLength(size); // sparse: zero pages, no disk space
      f.seek(size - 5);
      f.write("tail!".getBytes(StandardCharsets.US_ASCII));
    }
    // Expected: OMS root over one shard digest per GiB (the last differs).
    MessageDigest zeros = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    for (int i = 0; i < 1024; i++) {
      zeros.update(buf);
    }
    byte[] zeroShard = zeros.digest();
    MessageDigest last = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < 1023; i++) {
      last.update(buf);
    }
    byte[] tail = new byte[1 << 20];
    System.arraycopy("tail!".getBytes(StandardCharsets.US_ASCII), 0, tail, tail.length - 5, 5);
    last.update(tail);
    byte[] lastShard = last.digest();
    MessageDigest root = MessageDigest.getInstance("SHA-256");
    // Shard names sort by code point: model.bin:0:..., model.bin:1073741824:..., ... the last
    // shard (start 7516192768) sorts last because '7' is the greatest leading digit.
    for (int i = 0; i < 7; i++) {
      root.update(zeroShard);
    }
    root.update(lastShard);
    String expected = "sha256:" + HexFormat.of().formatHex(root.digest());

    Result r =
        java(
            List.of(),
            List.of("-Xmx128m"),
            "hash",
            "--shard-size",
            String.valueOf(1L << 30),
            model.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out().split("\n")[0]).isEqualTo(expected);
  }

  /**
   * Issue 13: with 70,000 files of long names, hash --json, lock and check --lock stream their JSON
   * and stay under a 128 MiB heap; sign refuses up front, before hashing, the bundle that
   * verification would refuse to read.
   */
  @Test
  void seventyThousandFilesWithLongNames_128MiBHeap_noOutOfMemory() throws Exception {
    // On a busy disk, creating and deleting 70,000 files takes minutes; in memory, seconds.
    Path shm = Path.of("/dev/shm");
    Path base =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "modelseal-many-")
            : Files.createDirectories(dir.resolve("shm"));
    try {
      manyFiles(base.resolve("many"));
    } finally {
      try (java.util.stream.Stream<Path> s = Files.walk(base)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private void manyFiles(Path model) throws Exception {
    String dirPad = "d".repeat(60);
    String filePad = "f".repeat(110);
    for (int d = 0; d < 70; d++) {
      Path sub = Files.createDirectories(model.resolve(String.format("layer_%02d_%s", d, dirPad)));
      for (int i = 0; i < 1000; i++) {
        Files.write(sub.resolve(String.format("shard_%04d_%s.bin", i, filePad)), new byte[] {1});
      }
    }
    List<String> heap = List.of("-Xmx128m");
    Result json = java(List.of(), heap, "hash", "--json", model.toString());
    assertThat(json.err()).isEmpty();
    assertThat(json.code()).isZero();
    assertThat(json.out().length()).isGreaterThan(20_000_000);
    assertThat(json.out()).contains("\"pin\" : \"pin:v1:sha256:").endsWith("]\n}\n");
    Path lock = model.resolveSibling("many.lock");
    Result l = java(List.of(), heap, "lock", model.toString(), "-o", lock.toString());
    assertThat(l.err()).isEmpty();
    assertThat(l.code()).isZero();
    assertThat(Files.size(lock)).isGreaterThan(20_000_000);
    Result c = java(List.of(), heap, "check", model.toString(), "--lock", lock.toString());
    assertThat(c.err()).isEmpty();
    assertThat(c.code()).isZero();
    TestKeys keys = TestKeys.ecP256(dir);
    Path sig = dir.resolve("many.sig");
    Result s =
        java(
            List.of(),
            heap,
            "sign",
            model.toString(),
            "--key",
            keys.key().toString(),
            "-o",
            sig.toString());
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.out()).isEmpty();
    assertThat(s.err())
        .startsWith("modelseal: " + model + ": 70000 files: the signature would be over ")
        .contains("that verification reads: refused")
        .doesNotContain("OutOfMemoryError");
    assertThat(s.err().strip()).doesNotContain("\n");
    assertThat(sig).doesNotExist();
  }

  @Test
  void hash_unreadableFile_exit2NamingTheFile() throws Exception {
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    Files.writeString(model.resolve("ok.bin"), "ok");
    Path locked = Files.writeString(model.resolve("locked.bin"), "secret");
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    List<String> prefix = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // Root reads anything: drop the capabilities that let it ignore file permissions.
      Assumptions.assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv not installed");
      prefix.addAll(
          List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
    }
    Result r = java(prefix, List.of(), "hash", model.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("modelseal: " + locked + ": permission denied\n");
  }

  @Test
  void plainHashAndVerify_loadNoCommandLineParserClass() throws Exception {
    // The start-up design (cli.startup.StartUp): these two everyday forms must not link picocli,
    // whose
    // classes cannot be archived and whose loading scans every jar before it on the class path.
    Path model = TestKeys.smallModel(dir);
    TestKeys keys = TestKeys.ecP256(dir);
    Path sig = dir.resolve("model.sig");
    assertThat(
            Main.run(
                new String[] {
                  "sign", model.toString(), "--key", keys.key().toString(), "-o", sig.toString()
                },
                new java.io.PrintWriter(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintWriter(java.io.OutputStream.nullOutputStream())))
        .isZero();
    List<String> verbose = List.of("-Xlog:class+load=info:stdout");
    Result hash = java(List.of(), verbose, "hash", model.toString());
    Result verify =
        java(
            List.of(),
            verbose,
            "verify",
            model.toString(),
            "--signature",
            sig.toString(),
            "--public-key",
            keys.pub().toString());
    assertThat(hash.code()).isZero();
    assertThat(verify.code()).isZero();
    assertThat(hash.out()).contains("dev.modelseal.manifest.ModelHasher").doesNotContain("picocli");
    assertThat(verify.out())
        .contains("dev.modelseal.oms.OmsVerifier")
        .contains("Verified " + model)
        .doesNotContain("picocli");
    // ...while the full command line does load it (the check above can fail).
    Result full = java(List.of(), verbose, "hash", "--json", model.toString());
    assertThat(full.code()).isZero();
    assertThat(full.out()).contains("picocli.CommandLine");
  }

  @Test
  void resignWithKeygenKeyAndCache_loadsNeitherPicocliNorBouncyCastle() throws Exception {
    // Re-signing with a digest cache is all start-up (benchmarks/bench-resign.sh): the shortcut
    // links no picocli class, and a key as keygen and OpenSSL write it is read with the JDK alone
    // (Bouncy Castle's signed jars cost a tenth of a second to verify).
    Path model = TestKeys.smallModel(dir);
    Path key =
        dev.modelseal.keys.KeyPairFiles.generate(
                dir.resolve("release"), dev.modelseal.keys.KeyPairFiles.Algorithm.P256, null)
            .privateKey();
    Path sig = dir.resolve("model.sig");
    Path cache = dir.resolve("digests.cache");
    List<String> verbose = List.of("-Xlog:class+load=info:stdout");
    Result sign =
        java(
            List.of(),
            verbose,
            "sign",
            model.toString(),
            "--key",
            key.toString(),
            "-o",
            sig.toString(),
            "--cache",
            cache.toString());
    assertThat(sign.code()).as(sign.err()).isZero();
    assertThat(sign.out())
        .contains("dev.modelseal.oms.OmsSigner")
        .contains("Signed " + model)
        .doesNotContain("picocli")
        .doesNotContain("org.bouncycastle");
    assertThat(Files.exists(cache)).isTrue();
    // ...while a key in another encoding does load Bouncy Castle (the check above can fail).
    TestKeys jdkEncoded = TestKeys.ecP256(dir);
    Result other =
        java(
            List.of(),
            verbose,
            "sign",
            model.toString(),
            "--key",
            jdkEncoded.key().toString(),
            "-o",
            sig.toString());
    assertThat(other.code()).isZero();
    assertThat(other.out()).contains("org.bouncycastle").doesNotContain("picocli");
  }
}
