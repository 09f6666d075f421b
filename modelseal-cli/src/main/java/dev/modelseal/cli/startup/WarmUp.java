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

  /** The commands that read a private key and write a bundle (a re-signing is all start-up). */
  private static final Set<String> SIGNING_COMMANDS = Set.of("sign", "attest");

  private final boolean signing;

  private WarmUp(boolean signing) {
    this.signing = signing;
  }

  static void start(Argv argv) {
    String command = argv.command();
    if (command == null) {
      return; // help or version: nothing is hashed
    }
    // With a digest cache most files are not read at all: a JIT warm-up of SHA-256 would only
    // compete for the cores with the start-up itself.
    if (!argv.contains("--cache")) {
      ModelHasher.startJitWarmUp();
    }
    if (SIGNATURE_COMMANDS.contains(command)) {
      Thread t =
          new Thread(new WarmUp(SIGNING_COMMANDS.contains(command)), "modelseal-class-loading");
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public void run() {
    if (signing) {
      // The JDK's security providers are found and loaded at the first key or signature object
      // (some 20 ms), and the JSON writer is built at the first bundle; signing needs them only
      // after it has read its arguments, key and cache. (Not for verify: measured slower there,
      // where this thread competes with the SHA-256 warm-up for two cores.)
      try {
        java.security.KeyFactory.getInstance("EC");
        java.security.Signature.getInstance("SHA256withECDSA");
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        // Only a head start.
      }
    }
    ClassLoader loader = WarmUp.class.getClassLoader();
    for (String name : SIGNATURE_CLASSES) {
      load(name, loader);
    }
    if (signing) {
      load("dev.modelseal.internal.StrictJson$MapperHolder", loader);
    }
  }

  private static void load(String name, ClassLoader loader) {
    try {
      Class.forName(name, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      // Only a head start; the command loads what it needs itself.
    }
  }
}
