package dev.modelseal.cli;

import dev.modelseal.manifest.DigestCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --cache FILE} for the commands that write digests ({@code hash}, {@code lock}, {@code
 * sign}): a private digest cache ({@link DigestCache}) so that files unchanged since the last run
 * are not read again. Deliberately absent from {@code verify}, {@code check} and {@code pull}:
 * whoever can write the model can write the cache.
 */
final class CacheOptions {
  @Option(
      names = "--cache",
      paramLabel = "FILE",
      description =
          "Digest cache (owner-only): files unchanged since the last run (same device, inode,"
              + " size, mtime and ctime) are not re-hashed. Never used to verify.")
  Path file;

  /** The cache, or null without {@code --cache}; problems with it are warnings on {@code err}. */
  DigestCache open(PrintWriter err) {
    return open(file, err);
  }

  /** The cache in {@code file}, or null when it is null; problems are warnings on {@code err}. */
  static DigestCache open(Path file, PrintWriter err) {
    if (file == null) {
      return null;
    }
    return DigestCache.open(
        file,
        w -> {
          err.println("modelseal: warning: " + Printable.of(w));
          err.flush();
        });
  }
}
