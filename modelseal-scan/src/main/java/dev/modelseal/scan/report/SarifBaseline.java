package dev.modelseal.scan.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.InvalidInputException;
import dev.modelseal.scan.BoundedJson;
import dev.modelseal.scan.Finding;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The findings of a previous {@code modelseal scan --format sarif} run, so that a new run reports
 * only what is new ({@code --baseline}). A finding is known when the baseline has a result with the
 * same {@code ruleId} and the same {@code partialFingerprints["modelseal/v1"]} ({@link
 * Finding#fingerprint()}: rule, file, location and message), so the scan must name the files the
 * same way (same paths, same working directory). Immutable.
 */
public final class SarifBaseline {
  private static final int MAX_BYTES = 256 << 20;

  private final Set<String> known;

  private SarifBaseline(Set<String> known) {
    this.known = Set.copyOf(known);
  }

  /**
   * Reads {@code file}, a SARIF 2.1.0 log written by modelseal; refuses other tools' logs and
   * results without the fingerprint (a one-line {@link InvalidInputException}).
   */
  public static SarifBaseline read(Path file) throws InvalidInputException {
    JsonNode root = BoundedJson.read(file, MAX_BYTES, "baseline");
    if (!"2.1.0".equals(root.path("version").asText(null))) {
      throw new InvalidInputException(file, "baseline is not a SARIF 2.1.0 log");
    }
    JsonNode runs = root.path("runs");
    if (!runs.isArray() || runs.isEmpty()) {
      throw new InvalidInputException(file, "baseline has no runs");
    }
    Set<String> known = new HashSet<>();
    for (JsonNode run : runs) {
      String tool = run.path("tool").path("driver").path("name").asText("");
      if (!tool.equals("modelseal")) {
        throw new InvalidInputException(
            file, "baseline run is from '" + tool + "', not from modelseal scan --format sarif");
      }
      JsonNode results = run.path("results");
      if (!results.isArray()) {
        throw new InvalidInputException(file, "baseline run has no results array");
      }
      for (JsonNode res : results) {
        String rule = res.path("ruleId").asText("");
        String fp = res.path("partialFingerprints").path(ReportFormats.FINGERPRINT).asText("");
        if (rule.isEmpty() || fp.length() != 64) {
          throw new InvalidInputException(
              file,
              "baseline result without ruleId or partialFingerprints."
                  + ReportFormats.FINGERPRINT
                  + " (written by an older modelseal?)");
        }
        known.add(rule + "\0" + fp);
      }
    }
    return new SarifBaseline(known);
  }

  /** True when {@code f} was in the baseline. */
  public boolean contains(Finding f) {
    return known.contains(f.rule() + "\0" + f.fingerprint());
  }

  /** How many findings the baseline holds. */
  public int size() {
    return known.size();
  }
}
