package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.attest.ScanStatement;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oci.OciOptions;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.attest.ScanAttester;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --attest} options of {@code scan}: the model is read once into a verified private
 * copy, exactly those bytes are scanned, and the result is signed as a scan attestation ({@code
 * https://modelseal.dev/scan/v1}, docs/attestations.md) written to {@code -o} and/or appended to a
 * claims collection.
 */
final class ScanAttestOptions {
  @Option(
      names = "--attest",
      description =
          "Sign the result as a scan attestation bound to the model's OMS root and pin (one PATH;"
              + " needs --key and -o or --append).")
  boolean attest;

  @Option(names = "--key", paramLabel = "PEM", description = "With --attest: the private key.")
  Path key;

  @Option(names = "--password-file", paramLabel = "FILE", description = "The key's password.")
  Path passwordFile;

  @Option(
      names = "--append",
      paramLabel = "CLAIMS",
      description = "With --attest: append the attestation to this claims.jsonl (atomically).")
  Path append;

  boolean enabled() {
    return attest || key != null || append != null;
  }

  /**
   * {@code scan oci://... --attest --key K}: the model read once into a private copy verified
   * against its manifest's layer digests, exactly those bytes scanned, the statement signed and
   * attached to the manifest (and written to {@code -o} / appended when given).
   */
  ScanReport runOci(
      String location,
      Path output,
      ModelScanner scanner,
      OciOptions options,
      PrintWriter err,
      CommandLine cl)
      throws ModelsealException {
    if (!attest) {
      throw new ParameterException(cl, "--key and --append need --attest");
    }
    if (key == null) {
      throw new ParameterException(cl, "--attest needs --key");
    }
    SigningKey k = EvidenceFiles.key(key, passwordFile);
    ScanReport[] report = new ScanReport[1];
    OciEvidence.Attested a =
        OciEvidence.attest(
            location,
            options,
            k,
            (copy, weights) -> {
              ScanAttester.Result r =
                  ScanAttester.create(scanner, ignored -> weights)
                      .withProgress(Progress.forTask("scanning"))
                      .scan(copy);
              report[0] = r.report();
              return r.statement();
            },
            output,
            append);
    printAttested(err, a.ref().toString(), (ScanStatement) a.statement(), output);
    err.println(OciEvidence.attachedLine(a));
    err.flush();
    return report[0];
  }

  /** Scans, signs and writes; returns the report for the usual output and exit code. */
  ScanReport run(
      List<Path> paths, Path output, ModelScanner scanner, PrintWriter err, CommandLine cl)
      throws ModelsealException {
    if (!attest) {
      throw new ParameterException(cl, "--key and --append need --attest");
    }
    if (key == null || paths.size() != 1 || (output == null && append == null)) {
      throw new ParameterException(cl, "--attest needs one PATH, --key, and -o FILE or --append");
    }
    Path model = paths.get(0);
    SigningKey k = EvidenceFiles.key(key, passwordFile);
    Serialization s = EvidenceFiles.leavingOut(Serialization.defaults(), model, output, append);
    ScanAttester.Result r =
        ScanAttester.create(scanner, WeightDigests::contentDigest)
            .withProgress(Progress.forTask("scanning"))
            .scan(model, s);
    ScanStatement st = r.statement();
    EvidenceFiles.write(k, st, output, append);
    printAttested(err, Printable.of(model.toString()), st, output);
    err.flush();
    return r.report();
  }

  private void printAttested(PrintWriter err, String model, ScanStatement st, Path output) {
    err.println(
        "Attested scan of "
            + model
            + " "
            + st.modelPin()
            + ": worst "
            + st.worst()
            + ", "
            + st.findingCount()
            + " findings"
            + (output != null ? " -> " + Printable.of(output.toString()) : "")
            + (append != null ? " (appended to " + Printable.of(append.toString()) + ")" : ""));
  }
}
