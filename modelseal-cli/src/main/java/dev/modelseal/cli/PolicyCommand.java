package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.policy.ModelPolicy;
import dev.modelseal.policy.PolicyRule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal policy check FILE}: validates a deploy policy and summarises its rules. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Work with deploy policies (docs/deploy.md).",
    subcommands = PolicyCommand.Check.class,
    footer = {"", "Exit codes: 0 valid, 2 invalid or unreadable (the reason names the place)."})
final class PolicyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** {@code policy} alone: the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Main.ERROR;
  }

  /** {@code policy check FILE}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Check a deploy policy (JSON, or YAML for .yaml/.yml) strictly, as verify and pull read"
              + " it, and print its rules; the files it names are checked to exist.",
      footer = {"", "Exit codes: 0 valid, 2 invalid or unreadable."})
  static final class Check implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The policy file.")
    Path file;

    @Override
    public Integer call() throws ModelsealException {
      ModelPolicy p = PolicyOption.read(file);
      for (PolicyRule r : p.rules()) {
        PolicyRun.requireFiles(r, file);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Policy "
              + file
              + ": valid, "
              + p.rules().size()
              + (p.rules().size() == 1 ? " rule" : " rules")
              + ", mode "
              + p.mode().word());
      for (PolicyRule r : p.rules()) {
        out.println("  " + PolicyRun.describe(r));
      }
      return Main.OK;
    }
  }
}
