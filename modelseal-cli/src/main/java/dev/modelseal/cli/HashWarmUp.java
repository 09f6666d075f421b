package dev.modelseal.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Uses the core that command-line parsing leaves idle at start-up: loads the heavy classes the
 * command will need (the JSON reader), then gets the JIT to compile the JDK's SHA-256 with its
 * SHA-extension intrinsic. Without it the first few hundred megabytes of a short-lived run are
 * hashed by slower, not-yet-compiled code (see benchmarks/README.md). It computes nothing that is
 * used and affects no output.
 */
final class HashWarmUp {
  private static final int CALLS = 20_000;

  private static final Set<String> SIGNATURE_COMMANDS = Set.of("sign", "verify", "attest", "pull");

  private static final List<String> SIGNATURE_CLASSES =
      List.of("dev.modelseal.internal.StrictJson", "dev.modelseal.oms.OmsBundle");

  private HashWarmUp() {}

  static void start(String[] args) {
    boolean signatures = args.length > 0 && SIGNATURE_COMMANDS.contains(args[0]);
    Thread t =
        new Thread(
            () -> {
              if (signatures) {
                ClassLoader loader = HashWarmUp.class.getClassLoader();
                for (String name : SIGNATURE_CLASSES) {
                  try {
                    Class.forName(name, true, loader);
                  } catch (ClassNotFoundException | LinkageError e) {
                    // Only a head start; the command loads what it needs itself.
                  }
                }
              }
              try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] block = new byte[64];
                for (int i = 0; i < CALLS; i++) {
                  md.update(block, 0, block.length);
                }
                md.digest();
              } catch (NoSuchAlgorithmException e) {
                // Nothing to warm up.
              }
            },
            "modelseal-warm-up");
    t.setDaemon(true);
    t.start();
  }
}
