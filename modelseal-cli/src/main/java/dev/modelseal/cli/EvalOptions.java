package dev.modelseal.cli;

import dev.modelseal.attest.EvalStatement;
import dev.modelseal.attest.MetricRequirement;
import dev.modelseal.attest.Metrics;
import dev.modelseal.attest.MetricsStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The evaluation options of {@code attest}: with {@code --suite}, the attestation is written in the
 * proposed in-toto eval-result predicate (docs/attestations.md has the field mapping) instead of
 * our metrics predicate.
 */
final class EvalOptions {
  @Option(
      names = "--suite",
      paramLabel = "NAME",
      description =
          "Write an in-toto eval-result attestation for this evaluation suite (needs --claim,"
              + " --sample-size and a dataset).")
  String suite;

  @Option(names = "--suite-version", paramLabel = "V", description = "The suite's version.")
  String suiteVersion = "unversioned";

  @Option(names = "--sample-size", paramLabel = "N", description = "Samples evaluated.")
  Long sampleSize;

  @Option(
      names = "--claim",
      paramLabel = "EXPR",
      description = "With --suite: a verdict such as 'f1>=0.90' (repeatable; >= > <= <).")
  List<String> claims = new ArrayList<>();

  @Option(
      names = "--assurance",
      paramLabel = "LEVEL",
      description = "self_attested (default), third_party, reproduced or enclave_attested.")
  String assurance = "self_attested";

  boolean enabled() {
    return suite != null;
  }

  /** The eval-result statement, or a usage error naming what is missing. */
  EvalStatement statement(
      EvalStatement.StatementModel model,
      Metrics metrics,
      MetricsStatement.Dataset dataset,
      CommandLine cl) {
    if (claims.isEmpty() || sampleSize == null || dataset == null) {
      throw new ParameterException(
          cl,
          "--suite needs at least one --claim, --sample-size and --dataset or --dataset-digest");
    }
    try {
      List<EvalStatement.Claim> cs = new ArrayList<>();
      for (String c : claims) {
        cs.add(EvalStatement.Claim.of(MetricRequirement.parse(c), metrics));
      }
      return new EvalStatement(
          model,
          metrics,
          dataset,
          cs,
          suite,
          suiteVersion,
          sampleSize,
          Instant.now().truncatedTo(ChronoUnit.SECONDS),
          "https://modelseal.dev/attest",
          assurance);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, e.getMessage());
    }
  }
}
