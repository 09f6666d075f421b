package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationStatement;
import dev.modelseal.attest.EvalStatement;
import dev.modelseal.attest.Metrics;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.digest.Digest;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.Serialization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal attest}: signs evaluation metrics bound to the exact model digest. */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description = {
      "Sign an attestation (DSSE, in-toto Statement v1) binding evaluation metrics to the"
          + " model's OMS root digest and, when its format is readable, its weight content"
          + " digest.",
      "'verify PATH --attestation FILE --public-key PEM --require EXPR' checks it."
    },
    footer = {"", "Exit codes: 0 written, 2 usage or input error."})
final class AttestCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The model file or directory.")
  Path model;

  @Option(
      names = "--metrics",
      required = true,
      paramLabel = "JSON",
      description = "A JSON object of metric names to numbers, e.g. {\"f1\": 0.94}.")
  Path metrics;

  @ArgGroup(exclusive = true)
  DatasetOption dataset;

  static final class DatasetOption {
    @Option(
        names = "--dataset",
        paramLabel = "DIR",
        description = "The evaluation data (its OMS root digest is recorded).")
    Path dir;

    @Option(names = "--dataset-digest", paramLabel = "sha256:HEX", description = "Its digest.")
    String digest;
  }

  @Option(names = "--dataset-name", paramLabel = "NAME", description = "A label for the data.")
  String datasetName;

  @Option(names = "--key", required = true, paramLabel = "PEM", description = "Private key.")
  Path key;

  @Option(names = "--password-file", paramLabel = "FILE", description = "The key's password.")
  Path passwordFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "The attestation file to write (atomically); -o or --append is needed.")
  Path output;

  @Option(
      names = "--append",
      paramLabel = "CLAIMS",
      description = "Append the attestation to this claims.jsonl (atomically).")
  Path append;

  @Mixin EvalOptions eval = new EvalOptions();

  @Mixin HashOptions options = new HashOptions();

  @Override
  public Integer call() throws ModelsealException {
    if (output == null && append == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "attest needs -o FILE or --append CLAIMS");
    }
    Metrics m = Metrics.read(metrics);
    SigningKey signingKey = EvidenceFiles.key(key, passwordFile);
    Serialization s = EvidenceFiles.leavingOut(options.serialization(model), model, output, append);
    Manifest manifest = HashCommand.hash(model, s);
    Optional<Digest> weights = WeightDigests.contentDigest(model);
    Optional<MetricsStatement.Dataset> ds = Optional.empty();
    if (dataset != null) {
      Digest d =
          dataset.dir != null
              ? HashCommand.hash(dataset.dir, Serialization.defaults()).root()
              : Digest.parse(dataset.digest);
      String name =
          datasetName != null
              ? datasetName
              : dataset.dir != null ? String.valueOf(dataset.dir.getFileName()) : "dataset";
      ds = Optional.of(new MetricsStatement.Dataset(name, d));
    }
    AttestationStatement statement =
        eval.enabled()
            ? eval.statement(
                new EvalStatement.StatementModel(
                    manifest.modelName(), manifest.root(), Optional.of(manifest.pin()), s, weights),
                m,
                ds.orElse(null),
                spec.commandLine())
            : new MetricsStatement(manifest.modelName(), manifest.root(), s, weights, m, ds);
    EvidenceFiles.write(signingKey, statement, output, append);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Attested " + model + " " + manifest.root());
    weights.ifPresent(w -> out.println("  weights " + w));
    m.values().forEach((k, v) -> out.println("  " + k + " = " + v.toPlainString()));
    if (output != null) {
      out.println("  -> " + output);
    }
    if (append != null) {
      out.println("  appended to " + append);
    }
    return Main.OK;
  }
}
