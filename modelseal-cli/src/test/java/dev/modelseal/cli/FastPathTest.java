package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.cli.startup.StartUp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

  record Outcome(Integer code, String out) {}

  static Outcome fast(String... args) {
    StringWriter out = new StringWriter();
    Integer code = StartUp.begin(args, new PrintWriter(out, true), new Main.Shortcuts());
    return new Outcome(code, out.toString());
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
