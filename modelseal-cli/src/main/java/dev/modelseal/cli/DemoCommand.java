package dev.modelseal.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code modelseal demo}: the end-to-end story, offline, in under a minute. The demo is its own
 * program ({@code modelseal-demo/target/modelseal-demo.jar}, with ONNX Runtime on its class path):
 * this command runs it in a child JVM, so that the tool's own class path carries neither. The
 * launcher script {@code ./modelseal} starts that jar directly and does not come here.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Train a digit classifier, sign it, attest its F1, publish it to a local S3-compatible"
          + " server, deploy it with verification and a scan into ONNX Runtime, then play the attacker:"
          + " a swapped model and an edited metrics claim must both be refused. Offline,"
          + " 127.0.0.1 only."
    },
    footer = {"", "Exit codes: 0 everything behaved as expected, 1 otherwise, 2 error."})
final class DemoCommand implements Callable<Integer> {
  /** Where the demo's jar is, relative to the repository root. */
  static final String DEMO_JAR = "modelseal-demo/target/modelseal-demo.jar";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--keep", description = "Keep the workspace (keys, model, bucket data, logs).")
  boolean keep;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path home = Path.of(System.getProperty("modelseal.home", ".")).toAbsolutePath().normalize();
    Path jar = home.resolve(DEMO_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          jar + ": the demo is not built yet; run: ./mvnw -q -B install -DskipTests");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dmodelseal.home=" + home);
    command.add("-jar");
    command.add(jar.toString());
    if (keep) {
      command.add("--keep");
    }
    Process p =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    PrintWriter out = spec.commandLine().getOut();
    try (Reader in = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
      char[] buf = new char[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } finally {
      p.getOutputStream().close();
    }
    return p.waitFor();
  }
}
