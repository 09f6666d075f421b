package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.s3.S3Uri;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The two everyday command lines run without building picocli's parser, which costs a core for a
 * quarter of a second at start-up (reflection over the command classes, old class files that the
 * class-data archive cannot hold): {@code hash PATH [--shard-size N]} and {@code verify PATH
 * [--signature SIG] --public-key PEM [--json]}.
 *
 * <p>Guarantee: recognises only those exact shapes (each option at most once, one path, no other
 * token); for them it runs the same code and prints the same output as the full command. Anything
 * else, and any failure other than a verification result, is left to the full command line, which
 * reports it with its usual message (a failed early hash is reported from its stored cause, not run
 * again).
 */
final class FastPath {
  private FastPath() {}

  /** The exit code of the command when it took the fast path, or null. */
  static Integer run(String[] args, PrintWriter out) {
    if (args.length == 0) {
      return null;
    }
    if ("hash".equals(args[0])) {
      return hash(args, out);
    }
    if ("verify".equals(args[0])) {
      return verify(args, out);
    }
    return null;
  }

  private static Integer hash(String[] args, PrintWriter out) {
    if (!EarlyHash.startIfPlain(args)) {
      return null;
    }
    Manifest m = EarlyHash.awaitPlain();
    if (m == null) {
      return null; // the command reports the early hash's failure
    }
    HashCommand.print(out, m, false);
    return out.checkError() ? Main.ERROR : Main.OK;
  }

  private static Integer verify(String[] args, PrintWriter out) {
    String model = null;
    String signature = null;
    String publicKey = null;
    boolean json = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String value = null;
      String name = a;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "--json":
          if (json || value != null) {
            return null;
          }
          json = true;
          break;
        case "--signature":
        case "--public-key":
          if (value == null) {
            if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
              return null;
            }
            value = args[++i];
          }
          if (value.isEmpty()) {
            return null;
          }
          if (name.equals("--signature")) {
            if (signature != null) {
              return null;
            }
            signature = value;
          } else {
            if (publicKey != null) {
              return null;
            }
            publicKey = value;
          }
          break;
        default:
          if (a.startsWith("-") || model != null) {
            return null;
          }
          model = a;
      }
    }
    if (model == null
        || publicKey == null
        || S3Uri.looksLikeS3(model)
        || model.regionMatches(true, 0, "oci://", 0, 6)) {
      return null;
    }
    try {
      return VerificationReport.verifyWithPublicKey(
          Path.of(model),
          signature == null ? null : Path.of(signature),
          Path.of(publicKey),
          json,
          out);
    } catch (ModelsealException | InvalidPathException e) {
      return null; // reported by the full command, with its usual message and exit code
    }
  }
}
