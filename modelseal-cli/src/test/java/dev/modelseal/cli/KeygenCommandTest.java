package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelseal keygen}: what it writes is what sign and verify accept. */
class KeygenCommandTest {
  @TempDir Path dir;

  private void roundTrip(String algorithm, Path passwordFile, String sigstoreName)
      throws Exception {
    Path model = TestKeys.smallModel(Files.createDirectories(dir.resolve(algorithm)));
    Path prefix = dir.resolve(algorithm + "/id");
    CliRun k =
        passwordFile == null
            ? CliRun.of("keygen", "-o", prefix.toString(), "--algorithm", algorithm)
            : CliRun.of(
                "keygen",
                "-o",
                prefix.toString(),
                "--algorithm",
                algorithm,
                "--password-file",
                passwordFile.toString());
    assertThat(k.code()).as(k.err()).isZero();
    assertThat(k.out()).contains(prefix + ".key", prefix + ".pub", sigstoreName);
    String key = Files.readString(Path.of(prefix + ".key"));
    assertThat(key)
        .startsWith(
            passwordFile == null
                ? "-----BEGIN PRIVATE KEY-----"
                : "-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(Files.readString(Path.of(prefix + ".pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
    CliRun s =
        passwordFile == null
            ? CliRun.of("sign", model.toString(), "--key", prefix + ".key")
            : CliRun.of(
                "sign",
                model.toString(),
                "--key",
                prefix + ".key",
                "--password-file",
                passwordFile.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains(sigstoreName);
    CliRun v = CliRun.of("verify", model.toString(), "--public-key", prefix + ".pub");
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).startsWith("Verified " + model);
  }

  @Test
  void p256_encrypted_signsAndVerifies() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "correct horse\n");
    roundTrip("p256", pw, "PKIX_ECDSA_P256_SHA_256");
  }

  @Test
  void p384_and_ed25519_signAndVerify() throws Exception {
    roundTrip("p384", null, "PKIX_ECDSA_P384_SHA_384");
    roundTrip("ed25519", null, "PKIX_ED25519_PH");
  }

  @Test
  void encryptedKey_needsItsPassword_andOpensslReadsIt() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "s3cret\n");
    Path prefix = dir.resolve("k");
    assertThat(
            CliRun.of("keygen", "-o", prefix.toString(), "--password-file", pw.toString()).code())
        .isZero();
    Path model = TestKeys.smallModel(dir);
    CliRun none = CliRun.of("sign", model.toString(), "--key", prefix + ".key");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err())
        .isEqualTo(
            "modelseal: " + prefix + ".key: the private key is encrypted; give a password file\n");
    Path wrong = Files.writeString(dir.resolve("wrong"), "nope\n");
    CliRun bad =
        CliRun.of(
            "sign",
            model.toString(),
            "--key",
            prefix + ".key",
            "--password-file",
            wrong.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("modelseal: " + prefix + ".key: ");
    // An independent reader: OpenSSL derives the same public key from the encrypted file.
    Process p =
        new ProcessBuilder(
                "openssl", "pkey", "-in", prefix + ".key", "-passin", "file:" + pw, "-pubout")
            .redirectErrorStream(true)
            .start();
    String openssl = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(openssl).isZero();
    assertThat(openssl).isEqualTo(Files.readString(Path.of(prefix + ".pub")));
  }

  @Test
  void existingFiles_neverOverwritten() throws Exception {
    Path prefix = dir.resolve("k");
    Path pub = Files.writeString(Path.of(prefix + ".pub"), "keep me");
    CliRun r = CliRun.of("keygen", "-o", prefix.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("modelseal: " + pub + ": already exists; not overwritten\n");
    assertThat(Path.of(prefix + ".key")).doesNotExist();
    assertThat(Files.readString(pub)).isEqualTo("keep me");
    Files.delete(pub);
    assertThat(CliRun.of("keygen", "-o", prefix.toString()).code()).isZero();
    String key = Files.readString(Path.of(prefix + ".key"));
    CliRun again = CliRun.of("keygen", "-o", prefix.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains(prefix + ".key: already exists");
    assertThat(Files.readString(Path.of(prefix + ".key"))).isEqualTo(key);
  }

  @Test
  void unknownAlgorithm_usageError() {
    CliRun r = CliRun.of("keygen", "-o", dir.resolve("k").toString(), "--algorithm", "rsa");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("modelseal: --algorithm: unknown key algorithm 'rsa'");
    assertThat(dir.resolve("k.key")).doesNotExist();
  }
}
