package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.cli.startup.StartUp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The picocli-free forms give the same exit codes and output as the full command line. */
class FastPathTest {
  @TempDir Path tmp;
  Path model;
  Path key;
  Path pub;
  Path sig;

  record Outcome(Integer code, String out, String err) {}

  static Outcome fast(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Integer code =
        StartUp.begin(
            args, new PrintWriter(out, true), new PrintWriter(err, true), new Main.Shortcuts());
    return new Outcome(code, out.toString(), err.toString());
  }

  @BeforeEach
  void setUp() throws Exception {
    model = TestKeys.smallModel(tmp);
    TestKeys keys = TestKeys.ecP256(tmp);
    key = keys.key();
    pub = keys.pub();
    sig = tmp.resolve("model.sig");
    CliRun s = CliRun.of("sign", model.toString(), "--key", key.toString(), "-o", sig.toString());
    assertThat(s.code()).as(s.err()).isZero();
  }

  @Test
  void plainHash_sameOutputAsTheFullCommand() {
    for (String[] args :
        new String[][] {
          {"hash", model.toString()},
          {"hash", "--shard-size", "3", model.toString()},
          {"hash", model.toString(), "--shard-size=5"}
        }) {
      Outcome f = fast(args);
      CliRun full = CliRun.of(args);
      assertThat(f.code()).isEqualTo(0).isEqualTo(full.code());
      assertThat(f.out()).isEqualTo(full.out()).startsWith("sha256:");
    }
  }

  @Test
  void plainVerify_sameOutputAsTheFullCommand_verifiedAndNot() throws Exception {
    String[][] forms = {
      {"verify", model.toString(), "--signature", sig.toString(), "--public-key", pub.toString()},
      {"verify", "--public-key=" + pub, model.toString(), "--signature=" + sig, "--json"},
    };
    for (String[] args : forms) {
      Outcome f = fast(args);
      CliRun full = CliRun.of(args);
      assertThat(f.code()).isEqualTo(0).isEqualTo(full.code());
      assertThat(f.out()).isEqualTo(full.out());
    }
    Files.writeString(model.resolve("config.json"), "{ }");
    for (String[] args : forms) {
      Outcome f = fast(args);
      CliRun full = CliRun.of(args);
      assertThat(f.code()).isEqualTo(1).isEqualTo(full.code());
      assertThat(f.out()).isEqualTo(full.out()).contains("config.json");
    }
  }

  @Test
  void plainSign_sameOutputAndSignatureAsTheFullCommand_withAndWithoutCache() throws Exception {
    Path cache = tmp.resolve("digests.cache");
    Path fastSig = tmp.resolve("fast.sig");
    Path fullSig = tmp.resolve("full.sig");
    String m = model.toString();
    dev.modelseal.keys.KeyPairFiles.Written keygen =
        dev.modelseal.keys.KeyPairFiles.generate(
            tmp.resolve("keygen"), dev.modelseal.keys.KeyPairFiles.Algorithm.P256, null);
    String keygenKey = keygen.privateKey().toString();
    java.util.Map<String, String> pubOf =
        java.util.Map.of(key.toString(), pub.toString(), keygenKey, keygen.publicKey().toString());
    String[][] pairs = {
      {"-o", fastSig.toString(), "-o", fullSig.toString()},
      {"--output=" + fastSig, "", "--output=" + fullSig, ""},
      {"--output", fastSig.toString(), "--output", fullSig.toString()},
    };
    for (String k : List.of(key.toString(), keygenKey)) {
      for (String[] p : pairs) {
        for (boolean cached : new boolean[] {false, true}) {
          List<String> f = new ArrayList<>(List.of("sign", m, "--key", k, p[0]));
          List<String> full = new ArrayList<>(List.of("sign", "--key", k, m, p[2]));
          if (!p[1].isEmpty()) {
            f.add(p[1]);
            full.add(p[3]);
          }
          if (cached) {
            f.addAll(List.of("--cache", cache.toString()));
            full.addAll(List.of("--cache=" + cache));
          }
          Outcome o = fast(f.toArray(String[]::new));
          CliRun r = CliRun.of(full.toArray(String[]::new));
          assertThat(o.code()).as(String.join(" ", f)).isEqualTo(0).isEqualTo(r.code());
          assertThat(o.out().replace(fastSig.toString(), "SIG"))
              .isEqualTo(r.out().replace(fullSig.toString(), "SIG"))
              .contains("root sha256:");
          assertThat(o.err()).isEqualTo(r.err());
          // Same statement (ECDSA signatures differ: the payloads are compared).
          assertThat(payload(fastSig)).isEqualTo(payload(fullSig));
          assertThat(
                  CliRun.of(
                          "verify",
                          m,
                          "--signature",
                          fastSig.toString(),
                          "--public-key",
                          pubOf.get(k))
                      .code())
              .isZero();
        }
      }
    }
    assertThat(Files.exists(cache)).isTrue();
    // The default output: PATH/model.sig inside the directory.
    Files.delete(sig);
    Outcome o = fast("sign", m, "--key", keygenKey);
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("model.sig itself is not part of the signed model");
    assertThat(Files.exists(model.resolve("model.sig"))).isTrue();
  }

  @Test
  void plainSign_corruptCache_warnsOnce_likeTheFullCommand() throws Exception {
    Path cache = Files.writeString(tmp.resolve("bad.cache"), "not a cache");
    Files.setPosixFilePermissions(
        cache, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String[] args = {
      "sign",
      model.toString(),
      "--key",
      key.toString(),
      "-o",
      tmp.resolve("a.sig").toString(),
      "--cache",
      cache.toString()
    };
    Outcome o = fast(args);
    Files.writeString(cache, "not a cache");
    CliRun r = CliRun.of(args);
    assertThat(o.code()).isZero();
    assertThat(o.err()).isEqualTo(r.err()).contains("warning");
  }

  @Test
  void signFailures_andOtherSignForms_areLeftToTheFullCommandLine() throws Exception {
    String m = model.toString();
    String k = key.toString();
    Path pw = Files.writeString(tmp.resolve("pw"), "secret");
    String[][] others = {
      {"sign", m},
      {"sign", m, "--key", k, "-o", "a.sig", "--output", "b.sig"},
      {"sign", m, "--key", k, "--password-file", pw.toString()},
      {"sign", m, "--key", k, "--ignore", "config.json"},
      {"sign", m, "--key", k, "--allow-symlinks"},
      {"sign", m, "--key", k, "--certificate", pub.toString()},
      {"sign", "oci://127.0.0.1:1/repo:tag", "--key", k},
      {"sign", "s3://bucket/model", "--key", k},
      {"sign", m, "--key", k, "--cache"},
      {"sign", m, "--key", k, "-o"},
      {"sign", m, m, "--key", k},
      {"sign", m, "--key", k, "--help"},
      {"sign", m, "--key", pub.toString()}, // not a private key: the full command reports it
      {"sign", tmp.resolve("absent").toString(), "--key", k, "-o", tmp.resolve("x.sig").toString()},
      {"sign", m, "--key", tmp.resolve("nokey.pem").toString()},
    };
    for (String[] args : others) {
      Outcome o = fast(args);
      assertThat(o.code()).as(String.join(" ", args)).isNull();
      assertThat(o.out()).as(String.join(" ", args)).isEmpty();
      assertThat(o.err()).as(String.join(" ", args)).isEmpty();
    }
    assertThat(Files.exists(tmp.resolve("x.sig"))).isFalse();
    CliRun r = CliRun.of("sign", m, "--key", tmp.resolve("nokey.pem").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nokey.pem");
  }

  private static String payload(Path sig) throws Exception {
    com.fasterxml.jackson.databind.JsonNode n =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(sig.toFile());
    return n.get("dsseEnvelope").get("payload").asText();
  }

  @Test
  void otherForms_areLeftToTheFullCommandLine() {
    String m = model.toString();
    String p = pub.toString();
    String[][] others = {
      {},
      {"lock", m},
      {"hash"},
      {"hash", m, "--json"},
      {"hash", m, "other"},
      {"hash", "--shard-size", "0", m},
      {"hash", "--help"},
      {"verify", m},
      {"verify", m, "--public-key", p, "--public-key", p},
      {"verify", m, "--public-key", p, "--ignore", "x"},
      {"verify", m, "--public-key"},
      {"verify", m, "--public-key", "--json"},
      {"verify", "s3://bucket/model", "--public-key", p},
      {"verify", m, "--trust-anchor", p},
      {"verify", m, "--public-key", p, "--json=true"},
    };
    for (String[] args : others) {
      assertThat(fast(args).code()).as(String.join(" ", args)).isNull();
    }
  }

  @Test
  void failures_fallBackToTheFullCommandLine_whichReportsThem() throws Exception {
    String[] missingSig = {
      "verify",
      model.toString(),
      "--signature",
      tmp.resolve("nope.sig").toString(),
      "--public-key",
      pub.toString()
    };
    assertThat(fast(missingSig).code()).isNull();
    CliRun full = CliRun.of(missingSig);
    assertThat(full.code()).isEqualTo(2);
    assertThat(full.err()).contains("nope.sig");
    String[] wrongKeyFile = {
      "verify", model.toString(), "--signature", sig.toString(), "--public-key", key.toString()
    };
    assertThat(fast(wrongKeyFile).code()).isNull();
    String[] missingModel = {"hash", tmp.resolve("absent").toString()};
    assertThat(fast(missingModel).code()).isNull();
    CliRun h = CliRun.of(missingModel);
    assertThat(h.code()).isEqualTo(2);
    assertThat(h.err()).contains("absent");
  }
}
