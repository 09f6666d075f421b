package dev.modelseal.cli;

import dev.modelseal.IntegrityException;
import dev.modelseal.ModelsealException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code modelseal} command. Exit codes: {@value #OK} success (model matches),
 * {@value #MISMATCH} the model does not match (or is not verified), {@value #ERROR} usage or input
 * errors (missing or unreadable files, malformed lock files, refused model trees). Errors are one
 * line on standard error, never a stack trace (set {@code MODELSEAL_DEBUG=1} to see one).
 */
@Command(
    name = "modelseal",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Make sure the model you load is the model you approved.",
    footer = {
      "",
      "Exit codes: 0 success, 1 model does not match, 2 usage or input error.",
    })
public final class Main implements Runnable {
  /** Success. */
  public static final int OK = 0;

  /** The model does not match its pin, lock or signature. */
  public static final int MISMATCH = 1;

  /** Usage error, or the check could not be carried out. */
  public static final int ERROR = 2;

  /** The subcommands, in help order. */
  private static final List<String> COMMANDS =
      List.of(
          "hash",
          "lock",
          "check",
          "sign",
          "verify",
          "attest",
          "pull",
          "fingerprint",
          "diff",
          "scan",
          "bom",
          "demo");

  /**
   * A new instance of the named subcommand, or null. Only the command being run is built (picocli's
   * reflection over every command would cost a quarter of a second at each start), and a plain
   * switch rather than lambdas keeps even the other command classes unloaded.
   */
  private static Object newCommand(String name) {
    switch (name) {
      case "hash":
        return new HashCommand();
      case "lock":
        return new LockCommand();
      case "check":
        return new CheckCommand();
      case "sign":
        return new SignCommand();
      case "verify":
        return new VerifyCommand();
      case "attest":
        return new AttestCommand();
      case "pull":
        return new PullCommand();
      case "fingerprint":
        return new FingerprintCommand();
      case "diff":
        return new DiffCommand();
      case "scan":
        return new ScanCommand();
      case "bom":
        return new BomCommand();
      case "demo":
        return new DemoCommand();
      default:
        return null;
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    HashWarmUp.start(args);
    PrintWriter out = new PrintWriter(System.out, true);
    Integer fast = FastPath.run(args, out);
    if (fast != null) {
      System.exit(fast);
    }
    System.exit(run(args, out, new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    Object only = args.length > 0 ? newCommand(args[0]) : null;
    if (only != null) {
      cl.addSubcommand(args[0], only);
    } else {
      for (String name : COMMANDS) {
        cl.addSubcommand(name, newCommand(name));
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          err.println("modelseal: " + Printable.of(describe(ex)));
          if (System.getenv("MODELSEAL_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          err.flush();
          return ex instanceof IntegrityException ? MISMATCH : ERROR;
        });
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("modelseal: " + ex.getMessage());
          err.println("Try '" + qualifiedName(ex.getCommandLine()) + " --help' for usage.");
          err.flush();
          return ERROR;
        });
    return cl.execute(args);
  }

  private static String qualifiedName(CommandLine cl) {
    String q = cl.getCommandSpec().qualifiedName();
    return q == null ? "modelseal" : q;
  }

  private static String describe(Exception ex) {
    if (ex instanceof ModelsealException m) {
      return m.getMessage();
    }
    if (ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    if (ex instanceof java.io.UncheckedIOException u) {
      return u.getCause().getMessage();
    }
    return "internal error: " + ex;
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"modelseal " + (v == null ? "(development build)" : v)};
    }
  }
}
