package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.oci.OciReference;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanAllowlist;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.report.ReportFormats;
import dev.modelseal.scan.report.SarifBaseline;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal scan}: the code model files would run when loaded, found without loading. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Find the code model files would run when loaded, without loading them.",
      "Pickle imports (raw, PyTorch zip and legacy, TorchScript, NumPy object arrays, joblib),"
          + " Keras Lambda layers, custom objects and safe-mode switches (.h5, .keras, TF.js),"
          + " SavedModel and TFLite custom ops, chat templates that reach Python objects (GGUF,"
          + " tokenizer_config.json), ONNX custom domains and escaping external data, and"
          + " safetensors polyglots.",
      "Files and directories are routed by content, never by name; archives and compressed"
          + " streams are opened. What cannot be read or is not recognised is reported (fail"
          + " closed). Rules: docs/scanning.md; --format json follows docs/schemas/scan.v1.json."
    },
    footer = {
      "",
      "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it (also when"
          + " a path could not be scanned: a finding is never hidden by an error), 2 usage error"
          + " or a path could not be scanned and no finding reached --fail-on. Errors are"
          + " written to standard error."
    })
final class ScanCommand implements Callable<Integer> {
  /** Output formats. */
  enum OutputFormat {
    text,
    json,
    sarif
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Model files or directories, or one oci://REGISTRY/REPO:TAG (read into a private copy"
              + " verified against its layer digests, then scanned; with --attest the attestation"
              + " is attached to the manifest).")
  List<Path> paths;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "text (default), json or sarif (SARIF 2.1.0).")
  OutputFormat format = OutputFormat.text;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE (atomically) instead of standard output.")
  Path output;

  @Option(names = "--imports", description = "Also list every global a pickle imports, rated.")
  boolean imports;

  @Option(
      names = "--fail-on",
      paramLabel = "LEVEL",
      description =
          "Exit 1 for findings at or above LEVEL: info, low, medium (default), high, critical.")
  String failOn = "medium";

  @Option(
      names = {"-q", "--quiet"},
      description = "Text output: the findings only (no skipped count, no summary line).")
  boolean quiet;

  @Option(
      names = "--allow",
      paramLabel = "FILE",
      description =
          "Accept what FILE lists (modelseal-scan-allow/1 JSON: globals, ops, customObjects,"
              + " files by sha256; docs/scanning.md): those findings are reported as suppressed.")
  Path allow;

  @Option(
      names = "--baseline",
      paramLabel = "SARIF",
      description =
          "Report only findings not in SARIF (a previous --format sarif run over the same"
              + " paths); the others are reported as suppressed.")
  Path baseline;

  @picocli.CommandLine.Mixin ScanAttestOptions attestation = new ScanAttestOptions();

  @picocli.CommandLine.Mixin OciCliOptions oci = new OciCliOptions();

  @Override
  public Integer call() throws ModelsealException {
    Severity level = Severity.parse(failOn);
    ModelScanner.Builder scanner = ModelScanner.builder();
    if (allow != null) {
      scanner.allow(ScanAllowlist.read(allow));
    }
    SarifBaseline known = baseline == null ? null : SarifBaseline.read(baseline);
    boolean attesting = attestation.enabled();
    String ociTyped = ociPath(spec.commandLine());
    ScanReport report;
    if (ociTyped != null && attesting) {
      report =
          attestation.runOci(
              ociTyped,
              output,
              scanner.build(),
              oci.options(null),
              spec.commandLine().getErr(),
              spec.commandLine());
    } else if (ociTyped != null) {
      report = OciEvidence.scan(ociTyped, oci.options(null), scanner.build());
    } else if (attesting) {
      report =
          attestation.run(
              paths, output, scanner.build(), spec.commandLine().getErr(), spec.commandLine());
    } else {
      report = scanner.build().scan(paths);
    }
    if (known != null) {
      report = report.suppressing(f -> known.contains(f) ? "baseline " + baseline : null);
    }
    PrintWriter err = spec.commandLine().getErr();
    err.print(ReportFormats.errorLines(report));
    err.flush();
    String rendered =
        switch (format) {
          case text -> ReportFormats.text(report, imports, quiet);
          case json -> ReportFormats.pretty(ReportFormats.json(report)) + "\n";
          case sarif -> ReportFormats.pretty(ReportFormats.sarif(report, version())) + "\n";
        };
    if (output != null && !attesting) {
      AtomicFiles.write(output, rendered.getBytes(StandardCharsets.UTF_8));
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(rendered);
      out.flush();
    }
    return exitCode(report, level);
  }

  /** The one {@code oci://} argument as typed, or null when none is (several: a usage error). */
  private static String ociPath(CommandLine cl) {
    List<String> typed = cl.getParseResult().matchedPositional(0).stringValues();
    boolean any = typed.stream().anyMatch(OciReference::looksLikeOci);
    if (!any) {
      return null;
    }
    if (typed.size() != 1) {
      throw new ParameterException(cl, "scan takes one oci:// reference and no other PATH");
    }
    return typed.get(0);
  }

  static int exitCode(ScanReport report, Severity level) {
    if (!report.atLeast(level).isEmpty()) {
      return Main.MISMATCH;
    }
    return report.complete() ? Main.OK : Main.ERROR;
  }

  private static String version() {
    return BuildVersion.get().orElse("development");
  }
}
