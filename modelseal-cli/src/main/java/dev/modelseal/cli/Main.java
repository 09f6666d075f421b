package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.cli.startup.StartUp;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.Serialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
      "Exit codes: 0 success, 1 the model is not the approved one, 2 the check could not be"
          + " carried out (unusable input, I/O or usage error). 'modelseal help COMMAND' shows a"
          + " command's options.",
    })
public final class Main implements java.util.concurrent.Callable<Integer> {
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
          "storage-initializer",
          "fingerprint",
          "diff",
          "scan",
          "bom",
          "policy",
          "demo",
          "keygen",
          "help");

  /**
   * A new instance of the named subcommand, or null. Only the command being run is built (picocli's
   * reflection over every command would cost a quarter of a second at each start), and a plain
   * switch rather than lambdas keeps even the other command classes unloaded.
   */
  private static Object newCommand(String name, Map<String, String> env) {
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
      case "storage-initializer":
        return new StorageInitializerCommand(env);
      case "fingerprint":
        return new FingerprintCommand();
      case "diff":
        return new DiffCommand();
      case "scan":
        return new ScanCommand();
      case "bom":
        return new BomCommand();
      case "policy":
        return new PolicyCommand();
      case "demo":
        return new DemoCommand();
      case "keygen":
        return new KeygenCommand();
      case "help":
        return new CommandLine.HelpCommand();
      default:
        return null;
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** No command given: the usage on standard error, and exit code 2 (a usage error). */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ERROR;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    Integer fast = StartUp.begin(args, out, err, new Shortcuts());
    if (fast != null) {
      System.exit(fast);
    }
    System.exit(run(args, out, err));
  }

  /** Runs the command line with the given streams and returns the exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.getenv());
  }

  /** Like {@link #run(String[], PrintWriter, PrintWriter)} with the given environment (tests). */
  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cl = new CommandLine(new Main());
    // 'help CMD' needs every command registered.
    Object only = args.length > 0 && !"help".equals(args[0]) ? newCommand(args[0], env) : null;
    if (only != null) {
      cl.addSubcommand(args[0], only);
    } else {
      for (String name : COMMANDS) {
        cl.addSubcommand(name, newCommand(name, env));
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    ErrorReporting.install(cl, args, out, err);
    return cl.execute(args);
  }

  /**
   * The commands the start-up shortcuts ({@link StartUp}) run: the same code the full commands run,
   * without linking any command-line parser class.
   */
  static final class Shortcuts implements StartUp.Commands {
    @Override
    public Manifest hash(Path model, Serialization serialization) throws ModelsealException {
      return HashCommand.hash(model, serialization);
    }

    @Override
    public int printHash(Manifest m, PrintWriter out) {
      HashCommand.print(out, m, false);
      return out.checkError() ? ERROR : OK;
    }

    @Override
    public int verifyWithPublicKey(
        Path model, Path signature, Path publicKey, boolean json, PrintWriter out)
        throws ModelsealException {
      return VerificationReport.verifyWithPublicKey(model, signature, publicKey, json, out);
    }

    @Override
    public int signWithKeyFile(
        Path model, Path key, Path output, Path cache, PrintWriter out, PrintWriter err)
        throws ModelsealException {
      return PlainSign.sign(model, key, output, cache, out, err);
    }

    @Override
    public int runFullCommandLine(String[] args, PrintWriter out, PrintWriter err) {
      return Main.run(args, out, err);
    }
  }

  /** The version of this build ({@link BuildVersion}). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"modelseal " + BuildVersion.get().orElse("(development build)")};
    }
  }
}
