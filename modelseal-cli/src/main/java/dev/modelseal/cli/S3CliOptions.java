package dev.modelseal.cli;

import dev.modelseal.s3.S3Options;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Connection options shared by the commands that read {@code s3://} locations. */
final class S3CliOptions {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "S3-compatible endpoint, e.g. http://127.0.0.1:9000 (default: AWS).")
  URI endpoint;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "Region (default: AWS_REGION or profile; us-east-1 with --endpoint).")
  String region;

  @Option(
      names = "--path-style",
      description = "Path-style addressing (most S3-compatible stores).")
  boolean pathStyle;

  @Option(
      names = "--connect-timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Connect timeout (default: ${DEFAULT-VALUE}).")
  double connectTimeout;

  @Option(
      names = "--read-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Fail a stalled download after this long without a byte (default: ${DEFAULT-VALUE}).")
  double readTimeout;

  @Option(
      names = "--attempts",
      paramLabel = "N",
      defaultValue = "4",
      description = "Attempts per request, with backoff (default: ${DEFAULT-VALUE}).")
  int attempts;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "4",
      description = "Objects downloaded at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--max-size",
      paramLabel = "BYTES",
      defaultValue = "1099511627776",
      description = "Refuse a model larger than this in total (default: 1 TiB).")
  long maxSize;

  /**
   * The options, with one line on {@code err} for each request that will be retried ({@code
   * modelseal: s3://b/k: attempt 1 of 4 failed (reason); retrying in 0.2 s}) and a progress bar for
   * {@code task} when standard error is a terminal.
   */
  S3Options options(PrintWriter err, String task) {
    return options()
        .onRetry(
            (uri, attempt, max, reason, wait) -> {
              synchronized (err) {
                err.println(
                    "modelseal: "
                        + Printable.of(uri)
                        + ": attempt "
                        + attempt
                        + " of "
                        + max
                        + " failed ("
                        + Printable.of(reason)
                        + "); retrying in "
                        + String.format(java.util.Locale.ROOT, "%.1f", wait.toMillis() / 1000.0)
                        + " s");
                err.flush();
              }
            })
        .progress(Progress.forTask(task));
  }

  S3Options options() {
    return S3Options.defaults()
        .endpoint(endpoint)
        .region(region)
        .pathStyle(pathStyle)
        .timeouts(
            seconds(connectTimeout, "--connect-timeout"), seconds(readTimeout, "--read-timeout"))
        .retries(attempts, Duration.ofMillis(200))
        .parallelism(parallel)
        .limits(maxSize, 100_000);
  }

  private static Duration seconds(double s, String name) {
    if (!(s > 0) || s > 3600) {
      throw new IllegalArgumentException(name + " must be between 0 and 3600 seconds");
    }
    return Duration.ofMillis((long) (s * 1000));
  }
}
