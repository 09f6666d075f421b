package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's class-data training run exercises every command it lists successfully. */
class CdsTrainingTest {
  @TempDir Path tmp;

  @Test
  void everyTrainingCommand_givesItsExpectedExitCode() throws Exception {
    assertThat(dev.modelseal.cli.startup.CdsTraining.train(tmp, new Main.Shortcuts())).isTrue();
  }
}
