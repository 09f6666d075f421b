package dev.modelseal.cli.startup;

import dev.modelseal.manifest.ModelHasher;
import java.util.List;
import java.util.Set;

/**
 * Uses the core that command-line parsing leaves idle at start-up: asks the library for the JIT
 * warm-up of the JDK's SHA-256 ({@link ModelHasher#startJitWarmUp}, which a large hash waits for)
 * and, for the signature commands, loads the heavy classes they will need (the JSON reader).
 * Without it the first few hundred megabytes of a short-lived run are hashed by slower,
 * not-yet-compiled code (see benchmarks/README.md). It computes nothing that is used and affects no
 * output.
 */
final class WarmUp implements Runnable {
  private static final Set<String> SIGNATURE_COMMANDS = Set.of("sign", "verify", "attest", "pull");

  private static final List<String> SIGNATURE_CLASSES =
      List.of("dev.modelseal.internal.StrictJson", "dev.modelseal.oms.OmsBundle");

  private WarmUp() {}

  static void start(Argv argv) {
    String command = argv.command();
    if (command == null) {
      return; // help or version: nothing is hashed
    }
    ModelHasher.startJitWarmUp();
    if (SIGNATURE_COMMANDS.contains(command)) {
      Thread t = new Thread(new WarmUp(), "modelseal-class-loading");
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public void run() {
    ClassLoader loader = WarmUp.class.getClassLoader();
    for (String name : SIGNATURE_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // Only a head start; the command loads what it needs itself.
      }
    }
  }
}
