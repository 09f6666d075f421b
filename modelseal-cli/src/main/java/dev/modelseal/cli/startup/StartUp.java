package dev.modelseal.cli.startup;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.s3.S3Uri;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The first thing {@code modelseal} runs: starts the warm-ups for the command about to run and runs
 * the two everyday command lines without building picocli's parser, which costs a core for a
 * quarter of a second at start-up (reflection over the command classes, old class files that the
 * class-data archive cannot hold): {@code hash PATH [--shard-size N]}, {@code verify PATH
 * [--signature SIG] --public-key PEM [--json]} and {@code sign PATH --key PEM [-o|--output SIG]
 * [--cache FILE]} (re-signing with a digest cache is dominated by start-up).
 *
 * <p>Guarantee: takes only those exact shapes ({@link Argv#match}); for them it runs the same code
 * and prints the same output as the full command. Anything else, and any failure other than a
 * verification result, is left to the full command line (null is returned), which reports it with
 * its usual message (a failed early hash is reported from its stored cause, not run again).
 */
public final class StartUp {
  private static final String SIGNATURE = "--signature";
  private static final String PUBLIC_KEY = "--public-key";
  private static final String JSON = "--json";
  private static final String KEY = "--key";
  private static final String OUTPUT = "--output";
  private static final String SHORT_OUTPUT = "-o";
  private static final String CACHE = "--cache";

  private StartUp() {}

  /** What the shortcuts run: the command-line tool's own code for those commands. */
  public interface Commands {
    /** Hashes {@code model} as {@code modelseal hash} does. */
    Manifest hash(Path model, Serialization serialization) throws ModelsealException;

    /** Prints {@code m} as {@code modelseal hash PATH} does; returns the exit code. */
    int printHash(Manifest m, PrintWriter out);

    /**
     * Runs {@code modelseal verify PATH [--signature SIG] --public-key PEM [--json]}; returns the
     * exit code of a verification result, throws when the check could not be carried out.
     */
    int verifyWithPublicKey(
        Path model, Path signature, Path publicKey, boolean json, PrintWriter out)
        throws ModelsealException;

    /**
     * Runs {@code modelseal sign PATH --key PEM [-o SIG] [--cache FILE]} with an unencrypted key;
     * returns the exit code, throws when the model could not be signed (nothing is written then).
     */
    int signWithKeyFile(
        Path model, Path key, Path output, Path cache, PrintWriter out, PrintWriter err)
        throws ModelsealException;

    /** Runs the full command line (picocli) with these streams; returns the exit code. */
    int runFullCommandLine(String[] args, PrintWriter out, PrintWriter err);
  }

  /**
   * Starts the warm-ups for {@code args} and runs it when it is one of the shortcut forms.
   *
   * @return the exit code when the command ran here, or null: run the full command line
   */
  public static Integer begin(String[] args, PrintWriter out, PrintWriter err, Commands commands) {
    Argv argv = Argv.of(args);
    WarmUp.start(argv);
    return run(argv, out, err, commands);
  }

  /** Runs {@code argv} when it is one of the shortcut forms (no warm-up), else null. */
  static Integer run(Argv argv, PrintWriter out, PrintWriter err, Commands commands) {
    if (argv.is("sign")) {
      return sign(argv, out, err, commands);
    }
    if (argv.is("hash")) {
      return hash(argv, out, commands);
    }
    if (argv.is("verify")) {
      return verify(argv, out, commands);
    }
    return null;
  }

  private static Integer hash(Argv argv, PrintWriter out, Commands commands) {
    if (!EarlyHash.startIfPlain(argv, commands)) {
      return null;
    }
    Manifest m = EarlyHash.awaitPlain();
    if (m == null) {
      return null; // the command reports the early hash's failure
    }
    return commands.printHash(m, out);
  }

  private static Integer sign(Argv argv, PrintWriter out, PrintWriter err, Commands commands) {
    Argv.Matched m = argv.match(Set.of(KEY, OUTPUT, SHORT_OUTPUT, CACHE), Set.of(), 1);
    if (m == null
        || m.value(KEY) == null
        || (m.value(OUTPUT) != null && m.value(SHORT_OUTPUT) != null)
        || m.positional(0).contains("://")) {
      return null;
    }
    String output = m.value(OUTPUT) != null ? m.value(OUTPUT) : m.value(SHORT_OUTPUT);
    String cache = m.value(CACHE);
    // Warnings (an unusable cache) are held back until the signature is written: after a failure
    // the full command runs and prints them itself.
    java.io.StringWriter warnings = new java.io.StringWriter();
    try {
      int code =
          commands.signWithKeyFile(
              Path.of(m.positional(0)),
              Path.of(m.value(KEY)),
              output == null ? null : Path.of(output),
              cache == null ? null : Path.of(cache),
              out,
              new PrintWriter(warnings, true));
      err.print(warnings);
      err.flush();
      return code;
    } catch (ModelsealException | RuntimeException e) {
      return null; // reported by the full command, with its usual message and exit code
    }
  }

  private static Integer verify(Argv argv, PrintWriter out, Commands commands) {
    Argv.Matched m = argv.match(Set.of(SIGNATURE, PUBLIC_KEY), Set.of(JSON), 1);
    if (m == null
        || m.value(PUBLIC_KEY) == null
        || S3Uri.looksLikeS3(m.positional(0))
        || m.positional(0).regionMatches(true, 0, "oci://", 0, 6)) {
      return null;
    }
    try {
      String signature = m.value(SIGNATURE);
      return commands.verifyWithPublicKey(
          Path.of(m.positional(0)),
          signature == null ? null : Path.of(signature),
          Path.of(m.value(PUBLIC_KEY)),
          m.flag(JSON),
          out);
    } catch (ModelsealException | InvalidPathException e) {
      return null; // reported by the full command, with its usual message and exit code
    }
  }
}
