package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Help, version, error style, {@code --ignore} validation and what {@code sign} reports. */
class CliContractTest {
  @TempDir Path dir;

  @Test
  void noArguments_usageOnStderr_exit2() {
    CliRun r = CliRun.of();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Usage: modelseal").contains("keygen", "help");
  }

  @Test
  void version_isTheBuildsVersion() {
    CliRun r = CliRun.of("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).matches("modelseal \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
  }

  @Test
  void helpCommand_andHelpTextsAreCompleteSentences() {
    CliRun r = CliRun.of("help", "sign");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Usage: modelseal sign").contains("--key=PEM");
    List<Object> commands =
        List.of(
            new HashCommand(),
            new LockCommand(),
            new CheckCommand(),
            new SignCommand(),
            new VerifyCommand(),
            new AttestCommand(),
            new PullCommand(),
            new FingerprintCommand(),
            new DiffCommand(),
            new ScanCommand(),
            new DemoCommand(),
            new KeygenCommand());
    for (Object c : commands) {
      CommandLine.Model.CommandSpec spec = new CommandLine(c).getCommandSpec();
      String[] d = spec.usageMessage().description();
      assertThat(d).as(spec.name()).isNotEmpty();
      for (String line : d) {
        assertThat(line).as(spec.name() + " description").endsWith(".");
      }
      String[] footer = spec.usageMessage().footer();
      assertThat(String.join(" ", footer)).as(spec.name() + " footer").contains("Exit codes: 0");
      for (CommandLine.Model.OptionSpec o : spec.options()) {
        for (String line : o.description()) {
          assertThat(line.strip()).as(spec.name() + " " + o.longestName()).isNotEmpty();
          assertThat(line).as(spec.name() + " " + o.longestName()).endsWith(".");
        }
      }
    }
  }

  @Test
  void errors_namePathsAsTyped() {
    // Relative to the working directory (the module directory under Maven).
    CliRun r = CliRun.of("verify", "target/no-such-model", "--public-key", "target/no-such.pem");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("modelseal: target/no-such")
        .doesNotContain(Path.of("").toAbsolutePath().toString());
    CliRun s = CliRun.of("verify", "target/no-such-model", "--public-key", "pom.xml");
    assertThat(s.err()).doesNotContain(Path.of("").toAbsolutePath().toString());
  }

  @Test
  void sign_printsRootAndPin_andWhyHashDiffers() throws Exception {
    Path model = TestKeys.smallModel(dir);
    TestKeys keys = TestKeys.ecP256(dir);
    CliRun s = CliRun.of("sign", model.toString(), "--key", keys.key().toString());
    assertThat(s.code()).as(s.err()).isZero();
    String[] hash = CliRun.of("hash", model.toString(), "--ignore", "model.sig").out().split("\n");
    String[] withSig = CliRun.of("hash", model.toString()).out().split("\n");
    assertThat(withSig[0]).isNotEqualTo(hash[0]); // the signature file is part of the directory
    assertThat(s.out())
        .contains("  root " + hash[0] + " (2 files)")
        .contains("  pin  " + hash[1])
        .contains("model.sig itself is not part of the signed model")
        .contains("--ignore model.sig");
    CliRun v = CliRun.of("verify", model.toString(), "--public-key", keys.pub().toString());
    assertThat(v.out()).contains(hash[0]);
  }

  @Test
  void ignore_validatedLikeResourceNames_warnsWhenMatchingNothing() throws Exception {
    Path model = TestKeys.smallModel(dir);
    for (String bad : List.of("../x", "sub/../../x", "", "a//b", "./", "/etc/passwd")) {
      CliRun r = CliRun.of("hash", model.toString(), "--ignore", bad);
      assertThat(r.code()).as(bad).isEqualTo(2);
      assertThat(r.out()).as(bad).isEmpty();
      assertThat(r.err()).as(bad).startsWith("modelseal: --ignore ").doesNotContain("\n\n");
      assertThat(r.err().strip()).as(bad).doesNotContain("\n");
    }
    CliRun typo = CliRun.of("hash", model.toString(), "--ignore", "sub/weight.bin");
    assertThat(typo.code()).isZero();
    assertThat(typo.err())
        .isEqualTo(
            "modelseal: warning: --ignore sub/weight.bin matches nothing in " + model + "\n");
    CliRun ok =
        CliRun.of("hash", model.toString(), "--ignore", "sub/weights.bin", "--ignore", "./sub/");
    assertThat(ok.code()).isZero();
    assertThat(ok.err()).isEmpty();
    CliRun abs = CliRun.of("hash", model.toString(), "--ignore", model.resolve("sub").toString());
    assertThat(abs.code()).isZero();
    assertThat(abs.err()).isEmpty();
    TestKeys keys = TestKeys.ecP256(dir);
    CliRun sign =
        CliRun.of(
            "sign", model.toString(), "--key", keys.key().toString(), "--ignore", "nothing.bin");
    assertThat(sign.code()).isZero();
    assertThat(sign.err()).contains("warning: --ignore nothing.bin matches nothing");
    assertThat(Files.exists(model.resolve("model.sig"))).isTrue();
  }
}
