package dev.modelseal.cli.startup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data archive: runs the everyday commands (hash,
 * lock, check, sign, verify, attest, fingerprint, diff, scan, help) in one JVM over a small
 * generated model, so that a JVM started with {@code -XX:ArchiveClassesAtExit} records every class
 * they load. Later starts map those classes from the archive instead of loading and verifying them
 * from the jars, whatever command ran first.
 *
 * <p>Guarantee: touches nothing but a private temporary directory, which it deletes; prints
 * nothing; reports whether every command gave its expected exit code (when not, the archive is
 * still usable, only less complete). The tool's {@code dev.modelseal.cli.CdsTraining} is the main
 * class the launcher runs it with.
 */
public final class CdsTraining {
  private static final int LARGE_FILE = 5 * 1024 * 1024;
  private static final int SMALL_FILES = 100;

  private CdsTraining() {}

  /**
   * Runs the training commands with {@code commands} in a new temporary directory, which it
   * deletes; see the class comment.
   *
   * @return whether every command gave its expected exit code
   */
  public static boolean train(StartUp.Commands commands)
      throws IOException, GeneralSecurityException, dev.modelseal.ModelsealException {
    Path dir = Files.createTempDirectory("modelseal-cds-");
    try {
      return train(dir, commands);
    } finally {
      deleteTree(dir);
    }
  }

  /** Runs the training commands with {@code commands} in {@code dir}. */
  public static boolean train(Path dir, StartUp.Commands commands)
      throws IOException, GeneralSecurityException, dev.modelseal.ModelsealException {
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.write(model.resolve("weights.safetensors"), tinySafetensors(1f));
    Files.write(model.resolve("config.json"), "{\"layers\": 2}\n".getBytes(StandardCharsets.UTF_8));
    // Two files above the hasher's batching size, so that the parallel hashing classes are
    // recorded too.
    Path large = Files.createDirectories(dir.resolve("large"));
    byte[] part = new byte[LARGE_FILE];
    Files.write(large.resolve("part-0.bin"), part);
    Files.write(large.resolve("part-1.bin"), part);
    // ... and enough small ones that its signature is longer than the JSON reader's buffer.
    for (int i = 0; i < SMALL_FILES; i++) {
      Files.writeString(large.resolve("tokenizer-part-" + i + ".json"), "{}\n");
    }
    // Re-signing with a digest cache (written first: the cache records only files whose times are
    // at least two seconds old, which they are by the end of the training).
    Path resign = Files.createDirectories(dir.resolve("resign"));
    Files.write(resign.resolve("weights.safetensors"), part);
    Files.writeString(resign.resolve("README.md"), "# model\n");
    Path other = dir.resolve("other.safetensors");
    Files.write(other, tinySafetensors(2f));
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    Path key = pem(dir.resolve("key.pem"), "PRIVATE KEY", pair.getPrivate().getEncoded());
    // A key as OpenSSL and keygen write it (public point inside): read with the JDK alone.
    Path keygenKey =
        dev.modelseal.keys.KeyPairFiles.generate(
                dir.resolve("keygen"), dev.modelseal.keys.KeyPairFiles.Algorithm.P256, null)
            .privateKey();
    Path pub = pem(dir.resolve("pub.pem"), "PUBLIC KEY", pair.getPublic().getEncoded());
    Path metrics = dir.resolve("metrics.json");
    Files.writeString(metrics, "{\"f1\": 0.9}\n");
    String m = model.toString();
    String sig = dir.resolve("model.sig").toString();
    String att = dir.resolve("model.att").toString();
    String lock = dir.resolve("modelseal.lock").toString();
    String weights = model.resolve("weights.safetensors").toString();
    String largeSig = dir.resolve("large.sig").toString();
    List<Run> runs = new ArrayList<>();
    runs.add(new Run(0, "--help"));
    runs.add(new Run(0, "hash", large.toString()));
    runs.add(new Run(0, "sign", large.toString(), "--key", key.toString(), "-o", largeSig));
    runs.add(
        new Run(
            0,
            "verify",
            large.toString(),
            "--signature",
            largeSig,
            "--public-key",
            pub.toString()));
    runs.add(new Run(0, "hash", m));
    runs.add(new Run(0, "hash", "--json", m));
    runs.add(new Run(0, "hash", "--shard-size", "4096", m));
    runs.add(new Run(0, "lock", m, "-o", lock));
    runs.add(new Run(0, "check", m, "--lock", lock));
    runs.add(new Run(2, "check", dir.resolve("missing").toString(), "--lock", lock));
    runs.add(new Run(0, "sign", m, "--key", key.toString(), "-o", sig));
    runs.add(new Run(0, "verify", m, "--signature", sig, "--public-key", pub.toString()));
    runs.add(new Run(0, "verify", m, "--signature", sig, "--public-key", pub.toString(), "--json"));
    runs.add(
        new Run(
            0, "attest", m, "--metrics", metrics.toString(), "--key", key.toString(), "-o", att));
    runs.add(
        new Run(
            0,
            "verify",
            m,
            "--attestation",
            att,
            "--public-key",
            pub.toString(),
            "--require",
            "f1>=0.5"));
    runs.add(new Run(0, "fingerprint", weights));
    runs.add(new Run(0, "fingerprint", "--json", "--tensors", weights));
    runs.add(new Run(1, "diff", weights, other.toString()));
    runs.add(new Run(0, "scan", m));
    runs.add(new Run(0, "scan", "--format", "json", m));
    String cache = dir.resolve("digests.cache").toString();
    String resignSig = dir.resolve("resign.sig").toString();
    for (int i = 0; i < 3; i++) {
      runs.add(
          new Run(
              0,
              "sign",
              resign.toString(),
              "--key",
              keygenKey.toString(),
              "-o",
              resignSig,
              "--cache",
              cache));
    }
    PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
    WarmUp.start(Argv.of("verify"));
    boolean ok = true;
    for (Run r : runs) {
      Integer fast = StartUp.run(Argv.of(r.args), sink, sink, commands);
      int code = fast != null ? fast : commands.runFullCommandLine(r.args, sink, sink);
      ok &= code == r.expected;
    }
    // The full parser for the forms the fast path takes, too (they fall back to it on errors).
    ok &= commands.runFullCommandLine(new String[] {"hash", m}, sink, sink) == 0;
    ok &=
        commands.runFullCommandLine(
                new String[] {"sign", m, "--key", key.toString(), "-o", sig}, sink, sink)
            == 0;
    ok &=
        commands.runFullCommandLine(
                new String[] {"verify", m, "--public-key", pub.toString(), "--signature", sig},
                sink,
                sink)
            == 0;
    return ok;
  }

  /** One command line and the exit code it must give. */
  private static final class Run {
    final int expected;
    final String[] args;

    Run(int expected, String... args) {
      this.expected = expected;
      this.args = args;
    }
  }

  /** A one-tensor safetensors file: {@code w}, F32, shape [2]. */
  private static byte[] tinySafetensors(float value) {
    byte[] header =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header).putFloat(value).putFloat(-value);
    return b.array();
  }

  private static Path pem(Path file, String type, byte[] der) throws IOException {
    return Files.writeString(file, pemText(type, der));
  }

  /** The PEM text of {@code der} under {@code type}, in 64-column lines. */
  public static String pemText(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
