package dev.modelseal.formats;

import dev.modelseal.ModelsealException;
import dev.modelseal.fingerprint.Fingerprinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the readers' Jazzer harnesses share: an input either opens and fingerprints, or fails with
 * the project's {@link FormatException} family with a one-line message; every other exception or
 * error propagates and is a finding.
 */
public final class FuzzChecks {
  private FuzzChecks() {}

  /** Opens a harness's input file with one reader. */
  @FunctionalInterface
  public interface Opener {
    TensorModel open(Path file) throws ModelsealException;
  }

  /** A new temporary directory for a harness's input files. */
  public static Path tempDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code data} to {@code file}. */
  public static void write(Path file, byte[] data) {
    try {
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code data} to {@code file}, opens it with {@code opener} and fingerprints it. */
  public static void openAndFingerprint(Path file, byte[] data, Opener opener)
      throws ModelsealException {
    write(file, data);
    try (TensorModel m = opener.open(file)) {
      fingerprint(m);
    } catch (FormatException e) {
      requireOneLine(e);
    }
  }

  /** Reads every tensor of {@code m}, as a fingerprint does. */
  public static void fingerprint(TensorModel m) throws ModelsealException {
    Fingerprinter.create().threads(1).fingerprint(m);
  }

  /** A finding unless {@code e} has a one-line message. */
  public static void requireOneLine(FormatException e) {
    if (e.getMessage() == null || e.getMessage().indexOf('\n') >= 0) {
      throw new AssertionError("message not one line: " + e.getMessage(), e);
    }
  }
}
