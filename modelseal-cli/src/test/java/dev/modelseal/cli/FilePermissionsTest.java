package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that others must read (signatures, lock files, attestations, reports) get the permissions
 * the umask gives any new file; only private keys stay owner-only. Each case runs the CLI in a
 * forked JVM under a given umask, since a JVM cannot change its own.
 */
class FilePermissionsTest {
  @TempDir Path dir;

  private int cli(String umask, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("/bin/sh");
    cmd.add("-c");
    cmd.add("umask " + umask + " && exec \"$0\" \"$@\"");
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.modelseal.cli.Main");
    cmd.addAll(List.of(args));
    Path err = dir.resolve("err.txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    int code = p.exitValue();
    assertThat(code).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
    return code;
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private void writeAll(String umask, String tag) throws Exception {
    Path base = Files.createDirectories(dir.resolve(tag));
    Path model = TestKeys.smallModel(base);
    TestKeys keys = TestKeys.ecP256(base);
    Path metrics = Files.writeString(base.resolve("metrics.json"), "{\"f1\": 0.9}");
    cli(umask, "sign", model.toString(), "--key", keys.key().toString());
    cli(umask, "lock", model.toString(), "-o", base.resolve("m.lock").toString());
    cli(
        umask,
        "attest",
        model.toString(),
        "--metrics",
        metrics.toString(),
        "--key",
        keys.key().toString(),
        "-o",
        base.resolve("att.json").toString());
    cli(
        umask,
        "scan",
        model.toString(),
        "--format",
        "sarif",
        "-o",
        base.resolve("scan.sarif").toString());
    cli(umask, "keygen", "-o", base.resolve("new").toString());
  }

  @Test
  void umask022_outputsWorldReadable_privateKeyOwnerOnly() throws Exception {
    writeAll("022", "u022");
    Path b = dir.resolve("u022");
    assertThat(mode(b.resolve("model/model.sig"))).isEqualTo("rw-r--r--");
    assertThat(mode(b.resolve("m.lock"))).isEqualTo("rw-r--r--");
    assertThat(mode(b.resolve("att.json"))).isEqualTo("rw-r--r--");
    assertThat(mode(b.resolve("scan.sarif"))).isEqualTo("rw-r--r--");
    assertThat(mode(b.resolve("new.pub"))).isEqualTo("rw-r--r--");
    assertThat(mode(b.resolve("new.key"))).isEqualTo("rw-------");
    try (var s = Files.list(b)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void umask027_outputsGroupReadable() throws Exception {
    writeAll("027", "u027");
    Path b = dir.resolve("u027");
    assertThat(mode(b.resolve("model/model.sig"))).isEqualTo("rw-r-----");
    assertThat(mode(b.resolve("m.lock"))).isEqualTo("rw-r-----");
    assertThat(mode(b.resolve("att.json"))).isEqualTo("rw-r-----");
    assertThat(mode(b.resolve("scan.sarif"))).isEqualTo("rw-r-----");
    assertThat(mode(b.resolve("new.pub"))).isEqualTo("rw-r-----");
    assertThat(mode(b.resolve("new.key"))).isEqualTo("rw-------");
  }
}
