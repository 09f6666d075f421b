package dev.modelseal.cli;

import dev.modelseal.internal.Sha256WarmUp;
import java.util.List;
import java.util.Set;

/**
 * Uses the core that command-line parsing leaves idle at start-up: starts the JIT warm-up of the
 * JDK's SHA-256 ({@link Sha256WarmUp}, which a large hash waits for) and, for the signature
 * commands, loads the heavy classes they will need (the JSON reader). Without it the first few
 * hundred megabytes of a short-lived run are hashed by slower, not-yet-compiled code (see
 * benchmarks/README.md). It computes nothing that is used and affects no output.
 */
final class HashWarmUp implements Runnable {
  private static final Set<String> SIGNATURE_COMMANDS = Set.of("sign", "verify", "attest", "pull");

  private static final List<String> SIGNATURE_CLASSES =
      List.of("dev.modelseal.internal.StrictJson", "dev.modelseal.oms.OmsBundle");

  private HashWarmUp() {}

  static void start(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      return; // help or version: nothing is hashed
    }
    Sha256WarmUp.startInBackground();
    if (SIGNATURE_COMMANDS.contains(args[0])) {
      Thread t = new Thread(new HashWarmUp(), "modelseal-class-loading");
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public void run() {
    ClassLoader loader = HashWarmUp.class.getClassLoader();
    for (String name : SIGNATURE_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // Only a head start; the command loads what it needs itself.
      }
    }
  }
}
