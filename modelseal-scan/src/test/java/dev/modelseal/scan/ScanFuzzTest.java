package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PickleMachine;
import dev.modelseal.formats.pickle.PickleResolver;
import dev.modelseal.scan.report.ReportFormats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer harnesses: the scanner turns any input into a report (never an exception, and never a
 * {@code scan.internal-error}), and the formats module's pickle interpreter fails only with the
 * project's {@link FormatException} family with a one-line message. Without {@code JAZZER_FUZZ}
 * they run over the committed seeds in {@code ScanFuzzTestInputs/<method>/}.
 */
class ScanFuzzTest {
  private static final ModelScanner SCANNER =
      ModelScanner.builder()
          .limits(
              ScanLimits.defaults()
                  .withStreamBytes(1 << 20)
                  .withPickleOps(200_000)
                  .withPickleEntries(10_000)
                  .withMembers(1_000))
          .build();

  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("modelseal-scan-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void scan(String name, byte[] data) {
    Path p = DIR.resolve(name);
    try {
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertOneLineReport(SCANNER.scan(p));
  }

  /** A report, never an internal error or a path left unscanned, each message one line. */
  private static void assertOneLineReport(ScanReport r) {
    assertThat(r.findings()).noneMatch(f -> f.rule().equals("scan.internal-error"));
    assertThat(r.errors()).isEmpty();
    for (Finding f : r.findings()) {
      assertThat(f.message()).doesNotContain("\n");
    }
  }

  @FuzzTest(maxDuration = "10s")
  void pickleScan(byte[] data) {
    scan("pickle", data);
  }

  @FuzzTest(maxDuration = "10s")
  void anyContainer(byte[] data) {
    scan("container", data);
  }

  /**
   * The input is a {@code tokenizer_config.json} (seeds: chat templates that reach Python objects,
   * a plain one): the JSON chat-template rule and the Jinja lexer behind it, chosen by that name.
   */
  @FuzzTest(maxDuration = "10s")
  void tokenizerConfig(byte[] data) {
    scanDirectory("tokenizer", "tokenizer_config.json", data);
  }

  /**
   * The input is a SavedModel's {@code saved_model.pb} in a directory (seeds: a graph printing to a
   * file, one without the optional schema version): the SavedModel rule's graph reader and op
   * rating, chosen by that layout.
   */
  @FuzzTest(maxDuration = "10s")
  void savedModel(byte[] data) {
    scanDirectory("savedmodel", "saved_model.pb", data);
  }

  private static void scanDirectory(String dir, String name, byte[] data) {
    Path d = DIR.resolve(dir);
    try {
      Files.createDirectories(d);
      Files.write(d.resolve(name), data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertOneLineReport(SCANNER.scan(d));
  }

  /**
   * The input is a zip archive (seeds: zips whose central directory points several names at one
   * member, encrypted members, nested zips): the zip rule's two readers, the overlap check and the
   * member budget; the rendered text and SARIF reports stay one line per finding, with no raw
   * control character, and JSON parses back.
   */
  @FuzzTest(maxDuration = "10s")
  void zipArchive(byte[] data) {
    Path p = DIR.resolve("archive.zip");
    try {
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ScanReport r = SCANNER.scan(p);
    assertThat(r.findings()).noneMatch(f -> f.rule().equals("scan.internal-error"));
    assertThat(r.errors()).isEmpty();
    String text = ReportFormats.text(r, true);
    assertThat(text.lines().count())
        .isEqualTo(r.findings().size() + r.imports().size() + 1 + (r.skipped().isEmpty() ? 0 : 1));
    assertThat(text.chars().filter(ch -> ch < 0x20 && ch != '\n').count()).isZero();
    try {
      new ObjectMapper().readTree(ReportFormats.pretty(ReportFormats.json(r)));
      new ObjectMapper().readTree(ReportFormats.pretty(ReportFormats.sarif(r, "fuzz")));
    } catch (IOException e) {
      throw new AssertionError("report is not JSON: " + e.getMessage(), e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void pickleMachine(byte[] data) {
    try {
      PickleMachine.run(
          data, Path.of("fuzz.pkl"), "fuzz", PickleResolver.INERT, PickleLimits.defaults());
    } catch (FormatException e) {
      if (e.getMessage().indexOf('\n') >= 0) {
        throw new AssertionError("multi-line message: " + e.getMessage(), e);
      }
    }
  }
}
