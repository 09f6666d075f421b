package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cache} on hash, lock and sign: same output as without, owner-only, warnings. */
class CacheCommandTest {
  @TempDir Path tmp;

  private Path oldModel() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    // Times older than the cache's minimum age cannot be made for ctime: wait it out once.
    Thread.sleep(2100);
    return model;
  }

  @Test
  void hashLockAndSignGiveTheSameResultWithTheCache() throws Exception {
    Path model = oldModel();
    Path cache = tmp.resolve("cache");
    CliRun plain = CliRun.of("hash", model.toString());
    CliRun first = CliRun.of("hash", model.toString(), "--cache", cache.toString());
    CliRun second = CliRun.of("hash", model.toString(), "--cache", cache.toString());
    assertThat(first.out()).isEqualTo(plain.out());
    assertThat(second.out()).isEqualTo(plain.out());
    assertThat(second.err()).isEmpty();
    assertThat(Files.readString(cache).lines().count()).isGreaterThan(1);
    assertThat(Files.getPosixFilePermissions(cache))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    CliRun lock =
        CliRun.of(
            "lock",
            model.toString(),
            "-o",
            tmp.resolve("l").toString(),
            "--cache",
            cache.toString());
    assertThat(lock.code()).as(lock.err()).isZero();
    assertThat(lock.out()).startsWith(plain.out().lines().findFirst().orElseThrow());
    TestKeys keys = TestKeys.ecP256(tmp);
    CliRun sign =
        CliRun.of(
            "sign", model.toString(), "--key", keys.key().toString(), "--cache", cache.toString());
    assertThat(sign.code()).as(sign.err()).isZero();
    // Edit a file keeping its size and mtime: still re-hashed (its ctime changed).
    Path f = model.resolve("sub/weights.bin");
    FileTime mtime = Files.getLastModifiedTime(f);
    String text = Files.readString(f);
    Files.writeString(f, text.toUpperCase());
    Files.setLastModifiedTime(f, mtime);
    CliRun v = CliRun.of("verify", model.toString(), "--public-key", keys.pub().toString());
    assertThat(v.code()).isEqualTo(1);
    CliRun resign =
        CliRun.of(
            "sign", model.toString(), "--key", keys.key().toString(), "--cache", cache.toString());
    assertThat(resign.code()).as(resign.err()).isZero();
    CliRun ok = CliRun.of("verify", model.toString(), "--public-key", keys.pub().toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(CliRun.of("hash", model.toString(), "--cache", cache.toString()).out())
        .isEqualTo(CliRun.of("hash", model.toString()).out());
  }

  @Test
  void aCorruptCacheIsAWarningAndIsReplaced() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    Path cache = Files.writeString(tmp.resolve("cache"), "garbage\n");
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-------"));
    CliRun r = CliRun.of("hash", model.toString(), "--cache", cache.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(CliRun.of("hash", model.toString()).out());
    assertThat(r.err())
        .isEqualTo(
            "modelseal: warning: "
                + cache
                + ": digest cache ignored: not a modelseal digest cache (or another version)\n");
    assertThat(Files.readString(cache)).startsWith("modelseal-digest-cache 1\n");
    assertThat(Instant.now()).isNotNull();
  }

  @Test
  void verifyHasNoCacheOption() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    TestKeys keys = TestKeys.ecP256(tmp);
    CliRun r =
        CliRun.of(
            "verify",
            model.toString(),
            "--public-key",
            keys.pub().toString(),
            "--cache",
            tmp.resolve("c").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--cache");
  }
}
