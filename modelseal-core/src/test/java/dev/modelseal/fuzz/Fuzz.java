package dev.modelseal.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the core's Jazzer harnesses share: an input is either accepted or refused with the parser's
 * documented exception and a one-line message; any other exception or error propagates and is a
 * finding.
 */
public final class Fuzz {
  private Fuzz() {}

  /** One parser run over an input. */
  @FunctionalInterface
  public interface Run {
    void run() throws Exception;
  }

  /**
   * Runs {@code run}; returns normally when it succeeds or throws one of {@code allowed} with a
   * one-line message, else rethrows (a finding).
   */
  @SafeVarargs
  public static void expect(Run run, Class<? extends Exception>... allowed) throws Exception {
    try {
      run.run();
    } catch (Exception e) {
      for (Class<? extends Exception> c : allowed) {
        if (c.isInstance(e)) {
          String m = e.getMessage();
          if (m == null || m.isBlank() || m.indexOf('\n') >= 0) {
            throw new AssertionError("message not one line: " + m, e);
          }
          return;
        }
      }
      throw e;
    }
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
  public static Path write(Path file, byte[] data) {
    try {
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The committed fixture directory {@code src/test/resources/dev/modelseal/fuzz/fixture}. */
  public static Path fixture() {
    try {
      return Path.of(Fuzz.class.getResource("fixture").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
