package dev.modelseal.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The demo's own launcher entry ({@code modelseal-demo.jar}, which {@code ./modelseal demo} runs):
 * {@code [--keep] [--help]}. Kept out of the command-line tool so that the tool ships neither the
 * demo's code nor ONNX Runtime. Exit codes: 0 everything behaved as expected, 1 otherwise, 2 usage
 * or set-up error (one line on standard error).
 */
public final class DemoMain {
  private static final String USAGE =
      String.join(
          "\n",
          "Usage: modelseal demo [-hV] [--keep]",
          "Train a digit classifier, sign it, attest its F1, publish it to a local S3-compatible"
              + " server, deploy it with verification and a scan into ONNX Runtime, then play the"
              + " attacker: a swapped model and an edited metrics claim must both be refused."
              + " Offline, 127.0.0.1 only.",
          "  -h, --help      Show this help message and exit.",
          "      --keep      Keep the workspace (keys, model, bucket data, logs).",
          "  -V, --version   Print version information and exit.",
          "",
          "Exit codes: 0 everything behaved as expected, 1 otherwise, 2 error.",
          "");

  private DemoMain() {}

  /** Runs the demo; see the class comment. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, System.err));
  }

  /** Runs the demo with these arguments and streams; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    boolean keep = false;
    for (String a : args) {
      switch (a) {
        case "--keep" -> keep = true;
        case "-h", "--help" -> {
          out.print(USAGE);
          return 0;
        }
        case "-V", "--version" -> {
          String v = DemoMain.class.getPackage().getImplementationVersion();
          out.println("modelseal " + (v == null ? "(development build)" : v));
          return 0;
        }
        default -> {
          err.println("modelseal: demo: unknown argument '" + a + "'");
          err.println("Try 'modelseal demo --help' for usage.");
          return 2;
        }
      }
    }
    Path home = Path.of(System.getProperty("modelseal.home", ".")).toAbsolutePath().normalize();
    try {
      return Demo.run(out, home, keep);
    } catch (Exception e) {
      err.println("modelseal: demo: " + e.getMessage());
      if (System.getenv("MODELSEAL_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 2;
    }
  }
}
