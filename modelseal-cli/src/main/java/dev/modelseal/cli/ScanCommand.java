package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.report.ReportFormats;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal scan}: the code model files would run when loaded, found without loading. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Find the code model files would run when loaded (pickle imports, NumPy object arrays,"
          + " GGUF chat templates, ONNX custom domains and external data, safetensors polyglots),"
          + " without loading them.",
      "Files and directories are routed by content, never by name; archives and compressed"
          + " streams are opened. What cannot be read or is not recognised is reported (fail"
          + " closed). Rules and the JSON format: docs/scanning.md."
    },
    footer = {
      "",
      "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,"
          + " 2 usage error or a path could not be scanned (findings are still reported)."
    })
final class ScanCommand implements Callable<Integer> {
  /** Output formats. */
  enum OutputFormat {
    text,
    json,
    sarif
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Model files or directories.")
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

  @Override
  public Integer call() throws ModelsealException {
    Severity level = Severity.parse(failOn);
    ScanReport report = ModelScanner.create().scan(paths);
    String rendered =
        switch (format) {
          case text -> ReportFormats.text(report, imports);
          case json -> ReportFormats.pretty(ReportFormats.json(report)) + "\n";
          case sarif -> ReportFormats.pretty(ReportFormats.sarif(report, version())) + "\n";
        };
    if (output != null) {
      AtomicFiles.write(output, rendered.getBytes(StandardCharsets.UTF_8));
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(rendered);
      out.flush();
    }
    return exitCode(report, level);
  }

  static int exitCode(ScanReport report, Severity level) {
    if (!report.atLeast(level).isEmpty()) {
      return Main.MISMATCH;
    }
    return report.complete() ? Main.OK : Main.ERROR;
  }

  private static String version() {
    String v = ScanCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
