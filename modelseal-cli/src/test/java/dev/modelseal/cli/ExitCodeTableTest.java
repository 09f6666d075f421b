package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit-code contract (README, "Exit codes"), command by command and input class by input class:
 * 0 ok, 1 the model is not the approved one, 2 the check could not be carried out. Every exit-2 row
 * must also print exactly one {@code modelseal: ...} line (two for usage errors, the second
 * pointing at --help) without Java or Jackson internals, and nothing on standard output.
 */
class ExitCodeTableTest {
  @TempDir static Path dir;

  static Path model;
  static Path tampered;
  static Path key;
  static Path pub;
  static Path otherPub;
  static Path lock;
  static Path attestation;
  static Path tamperedAttestation;
  static Path metrics;
  static String pin;
  static Path missing;
  static Path empty;
  static Path notJson;
  static Path fifo;
  static Path deep;
  static Path hugeSig;
  static Path hugeLock;
  static Path wrongMediaType;
  static Path badSignature;

  @BeforeAll
  static void setUp() throws Exception {
    model = TestKeys.smallModel(dir);
    TestKeys keys = TestKeys.ecP256(dir);
    key = keys.key();
    pub = keys.pub();
    otherPub = TestKeys.ecP256(Files.createDirectories(dir.resolve("other"))).pub();
    run(0, "sign", model.toString(), "--key", key.toString());
    lock = dir.resolve("good.lock");
    tampered = Files.createDirectories(dir.resolve("tampered/sub")).getParent();
    Files.writeString(tampered.resolve("config.json"), "{}");
    Files.writeString(tampered.resolve("sub/weights.bin"), "weights");
    run(0, "sign", tampered.toString(), "--key", key.toString());
    run(0, "lock", model.toString(), tampered.toString(), "-o", lock.toString());
    metrics = Files.writeString(dir.resolve("metrics.json"), "{\"f1\": 0.93}");
    attestation = dir.resolve("att.json");
    run(
        0,
        "attest",
        model.toString(),
        "--metrics",
        metrics.toString(),
        "--key",
        key.toString(),
        "-o",
        attestation.toString());
    tamperedAttestation = dir.resolve("tampered-att.json");
    run(
        0,
        "attest",
        tampered.toString(),
        "--metrics",
        metrics.toString(),
        "--key",
        key.toString(),
        "-o",
        tamperedAttestation.toString());
    pin = run(0, "hash", model.toString()).out().split("\n")[1];
    Files.writeString(tampered.resolve("sub/weights.bin"), "WEIGHTS");

    missing = dir.resolve("no-such-file");
    empty = Files.createFile(dir.resolve("empty"));
    notJson = Files.writeString(dir.resolve("not.json"), "this is not json\n");
    deep = Files.writeString(dir.resolve("deep.json"), "[".repeat(5000) + "]".repeat(5000));
    wrongMediaType = Files.writeString(dir.resolve("media.sig"), "{\"mediaType\": \"text/plain\"}");
    hugeSig = sparse(dir.resolve("huge.sig"), 16L * 1024 * 1024 + 1);
    hugeLock = sparse(dir.resolve("huge.lock"), 64L * 1024 * 1024 + 1);
    ObjectMapper m = new ObjectMapper();
    ObjectNode bundle = (ObjectNode) m.readTree(model.resolve("model.sig").toFile());
    ObjectNode sig = (ObjectNode) bundle.get("dsseEnvelope").get("signatures").get(0);
    byte[] raw = Base64.getDecoder().decode(sig.get("sig").asText());
    raw[raw.length / 2] ^= 1;
    sig.put("sig", Base64.getEncoder().encodeToString(raw));
    badSignature = dir.resolve("bad-signature.sig");
    m.writeValue(badSignature.toFile(), bundle);
    fifo = dir.resolve("fifo");
    try {
      new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    } catch (java.io.IOException e) {
      fifo = null;
    }
  }

  private static Path sparse(Path p, long size) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
    return p;
  }

  private static CliRun run(int expected, String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.code())
        .as("%s\nout: %s\nerr: %s", String.join(" ", args), r.out(), r.err())
        .isEqualTo(expected);
    return r;
  }

  private record Row(String inputClass, int code, List<String> args) {}

  private static Row row(String inputClass, int code, Object... args) {
    List<String> a = new ArrayList<>();
    for (Object o : args) {
      a.add(String.valueOf(o));
    }
    return new Row(inputClass, code, a);
  }

  private static String s(Path p) {
    return p.toString();
  }

  static List<Row> rows() {
    String sig = s(model.resolve("model.sig"));
    List<Row> r = new ArrayList<>();
    // ok
    r.add(row("ok", 0, "hash", model));
    r.add(row("ok", 0, "check", model, "--digest", pin));
    r.add(row("ok", 0, "check", model, "--lock", lock));
    r.add(row("ok", 0, "verify", model, "--public-key", pub));
    r.add(row("ok", 0, "verify", model, "--public-key", pub, "--json"));
    r.add(
        row(
            "ok",
            0,
            "verify",
            model,
            "--attestation",
            attestation,
            "--public-key",
            pub,
            "--require",
            "f1>=0.9"));
    r.add(row("ok", 0, "--version"));
    r.add(row("ok", 0, "--help"));
    r.add(row("ok", 0, "help", "verify"));
    r.add(row("ok", 0, "verify", "--help"));
    // missing file
    r.add(row("missing file", 2, "hash", missing));
    r.add(row("missing file", 2, "lock", missing, "-o", dir.resolve("x.lock")));
    r.add(row("missing file", 2, "check", missing, "--digest", pin));
    r.add(row("missing file", 2, "check", model, "--lock", missing));
    r.add(row("missing file", 2, "sign", missing, "--key", key));
    r.add(row("missing file", 2, "sign", model, "--key", missing, "-o", dir.resolve("x.sig")));
    r.add(row("missing file", 2, "verify", missing, "--public-key", pub));
    r.add(row("missing file", 2, "verify", model, "--signature", missing, "--public-key", pub));
    r.add(row("missing file", 2, "verify", model, "--public-key", missing));
    r.add(row("missing file", 2, "verify", model, "--attestation", missing, "--public-key", pub));
    r.add(
        row(
            "missing file",
            2,
            "attest",
            model,
            "--metrics",
            missing,
            "--key",
            key,
            "-o",
            dir.resolve("x.att")));
    r.add(row("missing file", 2, "fingerprint", missing));
    r.add(row("missing file", 2, "diff", missing, missing));
    r.add(row("missing file", 2, "scan", missing));
    r.add(
        row(
            "missing file",
            2,
            "pull",
            "s3://bucket/prefix",
            "--to",
            dir.resolve("x"),
            "--lock",
            missing,
            "--endpoint",
            "http://127.0.0.1:9"));
    // empty file
    r.add(row("empty file", 2, "verify", model, "--signature", empty, "--public-key", pub));
    r.add(
        row("empty file", 2, "verify", model, "--signature", empty, "--public-key", pub, "--json"));
    r.add(row("empty file", 2, "verify", model, "--public-key", empty));
    r.add(row("empty file", 2, "check", model, "--lock", empty));
    r.add(row("empty file", 2, "sign", model, "--key", empty, "-o", dir.resolve("x.sig")));
    r.add(row("empty file", 2, "verify", model, "--attestation", empty, "--public-key", pub));
    r.add(
        row(
            "empty file",
            2,
            "attest",
            model,
            "--metrics",
            empty,
            "--key",
            key,
            "-o",
            dir.resolve("x.att")));
    r.add(row("empty file", 2, "fingerprint", empty));
    r.add(row("empty file", 2, "diff", empty, empty));
    // malformed
    r.add(row("malformed", 2, "verify", model, "--signature", notJson, "--public-key", pub));
    r.add(row("malformed", 2, "verify", model, "--signature", wrongMediaType, "--public-key", pub));
    r.add(row("malformed", 2, "verify", model, "--signature", deep, "--public-key", pub));
    r.add(row("malformed", 2, "verify", model, "--public-key", notJson));
    r.add(row("malformed", 2, "check", model, "--lock", notJson));
    r.add(row("malformed", 2, "check", model, "--lock", deep));
    r.add(row("malformed", 2, "check", model, "--digest", "pin:v1:sha256:zz"));
    r.add(row("malformed", 2, "sign", model, "--key", notJson, "-o", dir.resolve("x.sig")));
    r.add(row("malformed", 2, "sign", model, "--key", pub, "-o", dir.resolve("x.sig")));
    r.add(row("malformed", 2, "verify", model, "--attestation", notJson, "--public-key", pub));
    r.add(row("malformed", 2, "verify", model, "--attestation", deep, "--public-key", pub));
    r.add(
        row(
            "malformed",
            2,
            "attest",
            model,
            "--metrics",
            notJson,
            "--key",
            key,
            "-o",
            dir.resolve("x.att")));
    r.add(
        row(
            "malformed",
            2,
            "attest",
            model,
            "--metrics",
            deep,
            "--key",
            key,
            "-o",
            dir.resolve("x.att")));
    r.add(row("malformed", 2, "fingerprint", notJson));
    r.add(row("malformed", 2, "scan", model, "--allow", notJson));
    r.add(row("malformed", 2, "scan", model, "--baseline", notJson));
    // oversized
    r.add(row("oversized", 2, "verify", model, "--signature", hugeSig, "--public-key", pub));
    r.add(row("oversized", 2, "verify", model, "--attestation", hugeSig, "--public-key", pub));
    r.add(row("oversized", 2, "check", model, "--lock", hugeLock));
    r.add(row("oversized", 2, "verify", model, "--public-key", hugeSig));
    r.add(row("oversized", 2, "sign", model, "--key", hugeSig, "-o", dir.resolve("x.sig")));
    r.add(
        row(
            "oversized",
            2,
            "attest",
            model,
            "--metrics",
            hugeSig,
            "--key",
            key,
            "-o",
            dir.resolve("x.att")));
    // wrong key
    r.add(row("wrong key", 1, "verify", model, "--public-key", otherPub));
    r.add(row("wrong key", 1, "verify", model, "--public-key", otherPub, "--json"));
    r.add(
        row(
            "wrong key",
            1,
            "verify",
            model,
            "--attestation",
            attestation,
            "--public-key",
            otherPub));
    // tampered model or signature
    r.add(row("tampered", 1, "verify", tampered, "--public-key", pub));
    r.add(row("tampered", 1, "verify", tampered, "--public-key", pub, "--json"));
    r.add(row("tampered", 1, "verify", model, "--signature", badSignature, "--public-key", pub));
    r.add(row("tampered", 1, "check", tampered, "--lock", lock));
    r.add(row("tampered", 1, "check", tampered, "--digest", pin));
    r.add(
        row(
            "tampered",
            1,
            "verify",
            tampered,
            "--attestation",
            tamperedAttestation,
            "--public-key",
            pub));
    r.add(
        row(
            "tampered",
            1,
            "verify",
            model,
            "--attestation",
            attestation,
            "--public-key",
            pub,
            "--require",
            "f1>=0.99"));
    // FIFO (must not block)
    if (fifo != null) {
      r.add(row("FIFO", 2, "hash", fifo));
      r.add(row("FIFO", 2, "fingerprint", fifo));
      r.add(row("FIFO", 2, "verify", model, "--signature", fifo, "--public-key", pub));
      r.add(row("FIFO", 2, "verify", model, "--public-key", fifo));
      r.add(row("FIFO", 2, "check", model, "--lock", fifo));
      r.add(row("FIFO", 2, "sign", model, "--key", fifo, "-o", dir.resolve("x.sig")));
      r.add(
          row(
              "FIFO",
              2,
              "sign",
              model,
              "--key",
              key,
              "--password-file",
              fifo,
              "-o",
              dir.resolve("x.sig")));
      r.add(row("FIFO", 2, "verify", model, "--attestation", fifo, "--public-key", pub));
      r.add(
          row(
              "FIFO",
              2,
              "attest",
              model,
              "--metrics",
              fifo,
              "--key",
              key,
              "-o",
              dir.resolve("x.att")));
      // scan reads a FIFO as a stream (a pipe can hand it a model) and gives up after 30 s
      // without data; ScanCommandTest covers that.
    }
    // usage
    r.add(row("usage", 2));
    r.add(row("usage", 2, "nosuchcommand"));
    r.add(row("usage", 2, "help", "nosuchcommand"));
    r.add(row("usage", 2, "verify", model));
    r.add(row("usage", 2, "verify", model, "--public-key", pub, "--bogus"));
    r.add(row("usage", 2, "verify", model, "--public-key", pub, "--scan=extreme"));
    r.add(row("usage", 2, "hash", model, "--hash", "md5"));
    r.add(row("usage", 2, "hash", model, "--shard-size", "0"));
    r.add(row("usage", 2, "check", model));
    r.add(row("usage", 2, "check", model, "--digest", pin, "--lock", lock));
    r.add(row("usage", 2, "sign", model));
    r.add(row("usage", 2, "scan", model, "--format", "xml"));
    r.add(row("usage", 2, "scan", model, "--fail-on", "extreme"));
    r.add(row("usage", 2, "diff", model));
    r.add(row("usage", 2, "pull", "s3://bucket/prefix"));
    r.add(row("usage", 2, "pull", "not-s3", "--to", dir.resolve("x"), "--digest", pin));
    r.add(row("usage", 2, "verify", model, "--public-key", pub, "--ignore", "../x"));
    r.add(row("usage", 2, "lock", model, "-o", dir.resolve("no-such-dir/x.lock")));
    return r;
  }

  @TestFactory
  Stream<DynamicTest> everyCommandOverEveryInputClass() {
    return rows().stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.inputClass() + ": modelseal " + String.join(" ", row.args()),
                    () -> check(row)));
  }

  private static void check(Row row) {
    CliRun r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> CliRun.of(row.args().toArray(String[]::new)));
    String what = String.join(" ", row.args()) + "\nout: " + r.out() + "\nerr: " + r.err();
    assertThat(r.code()).as(what).isEqualTo(row.code());
    String err = r.err();
    assertThat(err)
        .as(what)
        .doesNotContain("java.", "Exception", "jackson", "StreamReadConstraints", "\tat ");
    if (row.code() == 2 && !row.args().isEmpty()) {
      String[] lines = err.split("\n");
      assertThat(lines[0]).as(what).startsWith("modelseal: ");
      if (row.inputClass().equals("usage") && lines.length > 1) {
        assertThat(lines).as(what).hasSize(2);
        assertThat(lines[1]).as(what).startsWith("Try 'modelseal");
      } else if (!row.args().get(0).equals("scan")) {
        assertThat(lines).as(what).hasSize(1);
      }
      boolean json = row.args().contains("--json");
      if (json) {
        assertThat(r.out()).as(what).contains("\"schema\" : \"modelseal.dev/error/v1\"");
      } else if (!row.args().get(0).equals("scan")) {
        assertThat(r.out()).as(what).isEmpty();
      }
    }
  }

  @Test
  void fifoRowsAreNotSkipped() {
    assertThat(fifo).as("mkfifo is available, so the FIFO rows ran").isNotNull();
  }
}
