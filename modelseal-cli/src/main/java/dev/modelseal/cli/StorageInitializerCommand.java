package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.oci.OciReference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code modelseal storage-initializer SRC DEST}: KServe's storage-initializer contract (the
 * container gets exactly those two arguments) over {@code pull}. It adds no check of its own: the
 * trust configuration comes from {@code pull} options after {@code DEST} or from environment
 * variables ({@link PullEnvironment}), and {@code pull} runs with them, with its guarantees and
 * exit codes. {@code DEST} may be an existing empty directory (a volume mount; see {@link
 * MountedDestination}).
 */
@Command(
    name = "storage-initializer",
    mixinStandardHelpOptions = true,
    customSynopsis = "modelseal storage-initializer [-hV] SRC DEST [PULL-OPTION...]",
    description = {
      "Pull and verify SRC (s3://... or oci://...) into DEST: KServe's storage-initializer"
          + " arguments, also usable as a plain init container.",
      "Runs 'pull SRC --to DEST' with any 'pull' options given after DEST, else with the trust"
          + " options from the environment: MODELSEAL_PUBLIC_KEY, MODELSEAL_TRUST_ANCHOR (PEM"
          + " files separated by ':'), MODELSEAL_TRUSTED_ROOT with MODELSEAL_IDENTITY and"
          + " MODELSEAL_ISSUER, MODELSEAL_SIGNATURE, MODELSEAL_DIGEST, MODELSEAL_LOCK,"
          + " MODELSEAL_POLICY_FILE; and MODELSEAL_SCAN (a level, or true), MODELSEAL_PLAIN_HTTP"
          + " (true), MODELSEAL_S3_ENDPOINT (or KServe's S3_ENDPOINT with S3_USE_HTTPS=0 for"
          + " HTTP). A trust option on the command line turns all the trust variables off.",
      "DEST that does not exist is published by one atomic rename; an existing empty directory"
          + " (a volume mount) is filled from a verified, read-only subdirectory, and emptied"
          + " again on any failure; a non-empty DEST is refused."
    },
    footer = {
      "",
      "Exit codes: those of 'pull': 0 pulled and verified, 1 not verified, 2 usage, input or"
          + " transfer error, 130 interrupted (SIGINT), 143 terminated (SIGTERM)."
    })
final class StorageInitializerCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SRC", description = "s3://bucket/prefix or oci://...")
  String source;

  @Parameters(index = "1", paramLabel = "DEST", description = "Where the model goes.")
  Path dest;

  @Unmatched List<String> pullOptions = new ArrayList<>();

  private final Map<String, String> env;

  StorageInitializerCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws ModelsealException {
    CommandLine cl = spec.commandLine();
    List<String> args = new ArrayList<>(cl.getParseResult().originalArgs());
    if (!args.isEmpty() && args.get(0).equals(spec.name())) {
      args.remove(0);
    }
    if (args.size() < 2 || args.get(0).startsWith("-") || args.get(1).startsWith("-")) {
      throw new ParameterException(cl, "SRC and DEST come first; 'pull' options go after them");
    }
    if (!source.startsWith("s3://") && !OciReference.looksLikeOci(source)) {
      throw new ParameterException(
          cl, "SRC must be an s3:// or oci:// URI, not " + Printable.of(source));
    }
    Predicate<String> given = givenOptions(pullOptions);
    List<String> fromEnv;
    try {
      fromEnv = PullEnvironment.arguments(env, given, pullHas("--policy"));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }
    MountedDestination d = MountedDestination.prepare(dest);
    List<String> argv = new ArrayList<>(List.of("pull", source, "--to=" + d.pullTarget()));
    argv.addAll(fromEnv);
    argv.addAll(pullOptions);
    PrintWriter out = cl.getOut();
    int code = Main.ERROR;
    try {
      code = Main.run(argv.toArray(String[]::new), out, cl.getErr());
    } finally {
      if (code != Main.OK) {
        d.abandon();
      }
    }
    if (code != Main.OK) {
      return code;
    }
    d.complete();
    out.println("Model in " + d.directory());
    return Main.OK;
  }

  /** Which {@code pull} options the command line has, as {@code pull} itself parses them. */
  private static Predicate<String> givenOptions(List<String> options) {
    List<String> a = new ArrayList<>(List.of("s3://parse/only", "--to=/parse/only"));
    a.addAll(options);
    try {
      CommandLine.ParseResult r =
          new CommandLine(new PullCommand()).parseArgs(a.toArray(String[]::new));
      return name -> pullHas(name) && r.hasMatchedOption(name);
    } catch (ParameterException e) {
      // pull refuses these options itself, with its message; no variable changes that
      return name -> true;
    }
  }

  private static boolean pullHas(String option) {
    return new CommandLine(new PullCommand()).getCommandSpec().findOption(option) != null;
  }
}
