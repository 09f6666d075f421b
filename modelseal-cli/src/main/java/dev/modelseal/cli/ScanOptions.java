package dev.modelseal.cli;

import dev.modelseal.pin.PublishCheck;
import dev.modelseal.scan.Severity;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --scan[=LEVEL]} option of {@code verify} and {@code pull}, as a picocli mixin: the
 * check ({@link ScanPolicy}) that the library's verifier runs on the verified copy.
 */
final class ScanOptions {
  @Option(
      names = "--scan",
      arity = "0..1",
      fallbackValue = "medium",
      paramLabel = "LEVEL",
      description =
          "Also scan the verified copy (docs/scanning.md); a finding at LEVEL (default medium)"
              + " or above refuses the model with exit code 1 (pull publishes nothing). A model"
              + " checked in place (verify, s3:// too) is then read into a private temporary"
              + " copy, verified, scanned and deleted.")
  String scan;

  /** True when {@code --scan} was given. */
  boolean enabled() {
    return scan != null;
  }

  /**
   * The check to run on the verified copy, printing findings to {@code out} unless {@code quiet}.
   *
   * @throws ParameterException when LEVEL is not a severity
   */
  PublishCheck check(PrintWriter out, boolean quiet, CommandLine cl) {
    Severity level;
    try {
      level = Severity.parse(scan);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }
    return vm -> ScanPolicy.scan(vm, level, out, quiet);
  }
}
