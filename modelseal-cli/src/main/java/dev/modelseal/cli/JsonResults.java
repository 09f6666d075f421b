package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.report.ReportFormats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The pieces the JSON results of {@code verify} and {@code check} share, so both spell them the
 * same way. Every result carries a {@code schema} field naming its versioned JSON Schema under
 * {@code docs/schemas/}; fields are only ever added within a version.
 */
final class JsonResults {
  /** {@code verify --json} with a signature. */
  static final String VERIFY = "modelseal.dev/verify/v1";

  /** {@code verify --attestation --json}. */
  static final String VERIFY_ATTESTATION = "modelseal.dev/verify-attestation/v1";

  /** {@code check --json}. */
  static final String CHECK = "modelseal.dev/check/v1";

  /** {@code fingerprint --json}. */
  static final String FINGERPRINT = "modelseal.dev/fingerprint/v1";

  /** {@code diff --json}. */
  static final String DIFF = "modelseal.dev/diff/v1";

  private JsonResults() {}

  /** A new result object of {@code schema}. */
  static ObjectNode of(String schema) {
    ObjectNode o = Json.object();
    o.put("schema", schema);
    return o;
  }

  /** The modified, missing and extra files, as arrays (always all three). */
  static void comparison(ObjectNode o, ManifestComparison c) {
    put(o.putArray("modified"), c.modified());
    put(o.putArray("missing"), c.missing());
    put(o.putArray("extra"), c.extra());
  }

  /**
   * The signing method ({@code key}, {@code certificate} or {@code sigstore}) and key hint of the
   * local signature file {@code sig}; nothing when it is not a readable local bundle.
   */
  static void bundle(ObjectNode o, Path sig) {
    if (sig == null || !Files.isRegularFile(sig)) {
      return;
    }
    try {
      OmsBundle b = OmsBundle.read(sig);
      o.put("method", b.method().name().toLowerCase(Locale.ROOT));
      b.keyHint().ifPresent(h -> o.put("keyHint", h));
    } catch (ModelsealException e) {
      // the result already says why the signature was refused
    }
  }

  /**
   * The outcome of {@code --scan}: {@code passed}, and when it failed the scan report (its findings
   * with severity, rule, file, location and message, and its errors), in the {@code
   * modelseal.dev/scan/v1} form that {@code scan --format json} prints.
   */
  static ObjectNode scan(ObjectNode o, boolean passed, ScanReport report) {
    ObjectNode s = o.putObject("scan");
    s.put("passed", passed);
    if (report != null) {
      s.set("report", ReportFormats.json(report));
    }
    return s;
  }

  static void put(ArrayNode a, List<String> items) {
    items.forEach(a::add);
  }
}
