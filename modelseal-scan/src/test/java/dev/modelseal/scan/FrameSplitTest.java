package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pickle whose FRAME ends inside an opcode's argument: CPython's file loader reads other opcodes
 * than its in-memory loader ({@code fixtures/generate_frame_split.py} checks that {@code
 * pickle.load(file)} runs {@code builtins.print} and {@code pickle.loads} does not).
 */
class FrameSplitTest {
  @Test
  void frameSplit_hiddenCallOfTheFileLoader_isNamed() {
    ScanReport r = Fixtures.scan("frame_split.pkl");
    List<String> rules = r.findings().stream().map(Finding::rule).toList();
    assertThat(rules).as(r.findings().toString()).contains("pickle.frame-split");
    assertThat(r.findings())
        .as(r.findings().toString())
        .anyMatch(
            f ->
                f.rule().equals("pickle.unknown-import")
                    && f.message().contains("builtins.print")
                    && f.severity().atLeast(Severity.HIGH));
  }

  @Test
  void unframedAndWellFramedPickles_haveNoFrameFinding() {
    for (String name : List.of("system_p4.pkl", "stacked.pkl", "stack_global_memo.pkl")) {
      ScanReport r = Fixtures.scan(name);
      assertThat(r.findings()).as(name).noneMatch(f -> f.rule().equals("pickle.frame-split"));
    }
  }
}
