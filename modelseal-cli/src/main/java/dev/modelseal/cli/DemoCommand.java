package dev.modelseal.cli;

import dev.modelseal.demo.Demo;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code modelseal demo}: the end-to-end story, offline, in under a minute. */
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
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--keep", description = "Keep the workspace (keys, model, bucket data, logs).")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("modelseal.home", ".")).toAbsolutePath().normalize();
    var writer = spec.commandLine().getOut();
    PrintStream out =
        new PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                writer.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                writer.write(new String(b, off, len, StandardCharsets.UTF_8));
              }

              @Override
              public void flush() {
                writer.flush();
              }
            },
            true,
            StandardCharsets.UTF_8);
    int code = Demo.run(out, home, keep);
    out.flush();
    return code;
  }
}
