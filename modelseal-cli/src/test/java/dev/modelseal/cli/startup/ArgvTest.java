package dev.modelseal.cli.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The start-up tokenizer takes exactly the shape it is asked for, and nothing else. */
class ArgvTest {
  private static final Set<String> VALUED = Set.of("--signature", "--public-key");
  private static final Set<String> FLAGS = Set.of("--json");

  private static Argv.Matched verify(String... args) {
    return Argv.of(args).match(VALUED, FLAGS, 1);
  }

  @Test
  void command_isTheFirstArgumentUnlessAnOption() {
    assertThat(Argv.of().command()).isNull();
    assertThat(Argv.of("--help").command()).isNull();
    assertThat(Argv.of("-V", "hash").command()).isNull();
    assertThat(Argv.of("hash", "m").command()).isEqualTo("hash");
    assertThat(Argv.of("hash").is("hash")).isTrue();
    assertThat(Argv.of().match(VALUED, FLAGS, 0)).isNull();
  }

  @Test
  void bothValueForms_flagsAndPositionals() {
    Argv.Matched m = verify("verify", "--public-key=k.pem", "model", "--signature", "s", "--json");
    assertThat(m).isNotNull();
    assertThat(m.value("--public-key")).isEqualTo("k.pem");
    assertThat(m.value("--signature")).isEqualTo("s");
    assertThat(m.flag("--json")).isTrue();
    assertThat(m.positional(0)).isEqualTo("model");
    Argv.Matched plain = verify("verify", "model", "--public-key", "k");
    assertThat(plain.value("--signature")).isNull();
    assertThat(plain.flag("--json")).isFalse();
    assertThat(verify("verify", "--public-key=a=b", "m").value("--public-key")).isEqualTo("a=b");
  }

  @Test
  void anyOtherShape_isNull() {
    String[][] others = {
      {"verify"},
      {"verify", "m", "n", "--public-key", "k"},
      {"verify", "m", "--public-key"},
      {"verify", "m", "--public-key", "--json"},
      {"verify", "m", "--public-key", "-k"},
      {"verify", "m", "--public-key="},
      {"verify", "m", "--public-key", "k", "--public-key", "k"},
      {"verify", "m", "--public-key", "k", "--json", "--json"},
      {"verify", "m", "--public-key", "k", "--json=true"},
      {"verify", "m", "--public-key", "k", "--ignore", "x"},
      {"verify", "m", "--public-key", "k", "-"},
      {"verify", "--", "m", "--public-key", "k"},
      {"verify", "m", "-j"},
    };
    for (String[] args : others) {
      assertThat(verify(args)).as(String.join(" ", args)).isNull();
    }
  }

  @Test
  void theArgumentsAreCopied() {
    String[] args = {"hash", "m"};
    Argv a = Argv.of(args);
    args[1] = "changed";
    assertThat(a.match(Set.of(), Set.of(), 1).positional(0)).isEqualTo("m");
  }
}
