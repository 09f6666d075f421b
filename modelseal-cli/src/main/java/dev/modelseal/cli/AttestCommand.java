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
import dev.modelseal.oci.OciReference;
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
      "'verify PATH --attestation FILE --public-key PEM --require EXPR' checks it.",
      "PATH may be oci://REGISTRY/REPO:TAG|@sha256:DIGEST: the model is read once into a private"
          + " copy verified against its manifest's layer digests, and the attestation is attached"
          + " to the manifest as an OCI 1.1 referrer ('verify oci://... --require' finds it)."
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
      description =
          "The attestation file to write (atomically); -o or --append is needed (oci://:"
              + " optional, the attestation is attached).")
  Path output;

  @Option(
      names = "--append",
      paramLabel = "CLAIMS",
      description = "Append the attestation to this claims.jsonl (atomically).")
  Path append;

  @Mixin EvalOptions eval = new EvalOptions();

  @Mixin HashOptions options = new HashOptions();

  @Mixin OciCliOptions oci = new OciCliOptions();

  @Override
  public Integer call() throws ModelsealException {
    String typed = spec.commandLine().getParseResult().matchedPositional(0).stringValues().get(0);
    if (OciReference.looksLikeOci(typed)) {
      return attestOci(typed);
    }
    if (output == null && append == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "attest needs -o FILE or --append CLAIMS");
    }
    Metrics m = Metrics.read(metrics);
    SigningKey signingKey = EvidenceFiles.key(key, passwordFile);
    Serialization s = EvidenceFiles.leavingOut(options.serialization(model), model, output, append);
    Manifest manifest = HashCommand.hash(model, s);
    Optional<Digest> weights = WeightDigests.contentDigest(model);
    Optional<MetricsStatement.Dataset> ds = dataset();
    AttestationStatement statement = statement(manifest, s, weights, m, ds);
    EvidenceFiles.write(signingKey, statement, output, append);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Attested " + model + " " + manifest.root());
    printBody(out, weights, m);
    return Main.OK;
  }

  /** {@code attest oci://...}: attached to the manifest, optionally also written. */
  private int attestOci(String typed) throws ModelsealException {
    if (options.any()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "oci:// models are attested with the OMS file serialization (no hashing options)");
    }
    Metrics m = Metrics.read(metrics);
    SigningKey signingKey = EvidenceFiles.key(key, passwordFile);
    Optional<MetricsStatement.Dataset> ds = dataset();
    OciEvidence.Attested a =
        OciEvidence.attest(
            typed,
            oci.options(null),
            signingKey,
            (copy, w) -> statement(copy.manifest(), copy.manifest().serialization(), w, m, ds),
            output,
            append);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Attested " + a.ref() + " " + a.manifest().root());
    printBody(out, a.weights(), m);
    out.println(OciEvidence.attachedLine(a));
    return Main.OK;
  }

  private AttestationStatement statement(
      Manifest manifest,
      Serialization s,
      Optional<Digest> weights,
      Metrics m,
      Optional<MetricsStatement.Dataset> ds) {
    return eval.enabled()
        ? eval.statement(
            new EvalStatement.StatementModel(
                manifest.modelName(), manifest.root(), Optional.of(manifest.pin()), s, weights),
            m,
            ds.orElse(null),
            spec.commandLine())
        : new MetricsStatement(manifest.modelName(), manifest.root(), s, weights, m, ds);
  }

  private void printBody(PrintWriter out, Optional<Digest> weights, Metrics m) {
    weights.ifPresent(w -> out.println("  weights " + w));
    m.values().forEach((k, v) -> out.println("  " + k + " = " + v.toPlainString()));
    if (output != null) {
      out.println("  -> " + output);
    }
    if (append != null) {
      out.println("  appended to " + append);
    }
  }

  private Optional<MetricsStatement.Dataset> dataset() throws ModelsealException {
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
    return ds;
  }
}
