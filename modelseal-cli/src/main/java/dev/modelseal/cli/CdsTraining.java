package dev.modelseal.cli;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * The main class of the launcher's class-data archive training run ({@code ./modelseal} runs it
 * with {@code -XX:ArchiveClassesAtExit}): {@link dev.modelseal.cli.startup.CdsTraining} over this
 * tool's commands. Prints nothing; exits 0 when every training command gave its expected exit code,
 * 1 otherwise.
 */
public final class CdsTraining {
  private CdsTraining() {}

  /** Runs the training; see the class comment. */
  public static void main(String[] args)
      throws IOException, GeneralSecurityException, dev.modelseal.ModelsealException {
    System.exit(dev.modelseal.cli.startup.CdsTraining.train(new Main.Shortcuts()) ? 0 : 1);
  }
}
