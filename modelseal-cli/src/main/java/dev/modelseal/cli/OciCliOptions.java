package dev.modelseal.cli;

import dev.modelseal.oci.OciOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of the commands that read or write {@code oci://} references ({@code pull}, {@code
 * verify}, {@code sign}): plain HTTP only when asked. Timeouts, attempts, parallelism and the size
 * limit come from the transfer options the command already has ({@link S3CliOptions}), when it has
 * them.
 */
final class OciCliOptions {
  @Option(
      names = "--plain-http",
      description =
          "oci://: talk to the registry over plain HTTP instead of HTTPS (a local or trusted"
              + " network only).")
  boolean plainHttp;

  /** The library options; {@code transfer} may be null (defaults). */
  OciOptions options(S3CliOptions transfer) {
    OciOptions o = OciOptions.defaults().plainHttp(plainHttp);
    if (transfer != null) {
      o =
          o.timeouts(
                  seconds(transfer.connectTimeout, "--connect-timeout"),
                  seconds(transfer.readTimeout, "--read-timeout"))
              .attempts(transfer.attempts)
              .parallelism(transfer.parallel)
              .limits(transfer.maxSize, 100_000);
    }
    return o;
  }

  private static Duration seconds(double s, String name) {
    if (!(s > 0) || s > 3600) {
      throw new IllegalArgumentException(name + " must be between 0 and 3600 seconds");
    }
    return Duration.ofMillis((long) (s * 1000));
  }
}
