package dev.modelseal.scan.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.scan.Finding;
import dev.modelseal.scan.PickleImport;
import dev.modelseal.scan.ScanError;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.Skipped;
import dev.modelseal.scan.Suppressed;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link ScanReport} as text, as JSON ({@code modelseal-scan/1}, documented in
 * docs/scanning.md) or as SARIF 2.1.0 for code-scanning upload. Pure functions of the report.
 */
public final class ReportFormats {
  /** The JSON format identifier. */
  public static final String JSON_FORMAT = "modelseal-scan/1";

  /** The {@code schema} of the JSON report ({@code docs/schemas/scan.v1.json}). */
  public static final String JSON_SCHEMA = "modelseal.dev/scan/v1";

  /** The SARIF {@code partialFingerprints} key holding {@link Finding#fingerprint()}. */
  public static final String FINGERPRINT = "modelseal/v1";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFormats() {}

  /**
   * Human-readable text: one line per finding, then the imports (if asked), one line counting the
   * skipped items by reason, and the summary. Names and messages are escaped ({@link
   * Printable#text}); errors are not included (see {@link #errorLines}).
   */
  public static String text(ScanReport r, boolean imports) {
    return text(r, imports, false);
  }

  /**
   * As {@link #text(ScanReport, boolean)}; {@code quiet} leaves out everything but the findings
   * (and the imports, if asked).
   */
  public static String text(ScanReport r, boolean imports, boolean quiet) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : r.findings()) {
      sb.append(f.severity().label().toUpperCase(Locale.ROOT))
          .append(' ')
          .append(Printable.text(f.rule()))
          .append(' ')
          .append(Printable.text(f.where()))
          .append(": ")
          .append(Printable.text(f.message()))
          .append('\n');
    }
    if (imports) {
      for (PickleImport i : r.imports()) {
        sb.append("import ")
            .append(i.rating().name().toLowerCase(Locale.ROOT))
            .append(' ')
            .append(Printable.text(i.qualifiedName()))
            .append(' ')
            .append(Printable.text(i.file()))
            .append(": ")
            .append(Printable.text(i.location()))
            .append('\n');
      }
    }
    if (quiet) {
      return sb.toString();
    }
    if (!r.skipped().isEmpty()) {
      sb.append(skippedSummary(r)).append('\n');
    }
    sb.append(summary(r)).append('\n');
    return sb.toString();
  }

  /**
   * One line per error of the report ({@code modelseal: file: reason}), escaped, for standard
   * error.
   */
  public static String errorLines(ScanReport r) {
    StringBuilder sb = new StringBuilder();
    for (ScanError e : r.errors()) {
      sb.append("modelseal: ")
          .append(
              Printable.text(e.location().isEmpty() ? e.file() : e.file() + ": " + e.location()))
          .append(": ")
          .append(Printable.text(e.reason()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String skippedSummary(ScanReport r) {
    Map<String, Integer> byReason = new TreeMap<>();
    for (Skipped s : r.skipped()) {
      byReason.merge(s.reason(), 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(r.skipped().size()).append(" item(s) skipped (");
    boolean first = true;
    for (Map.Entry<String, Integer> e : byReason.entrySet()) {
      sb.append(first ? "" : "; ")
          .append(e.getValue())
          .append(' ')
          .append(Printable.text(e.getKey()));
      first = false;
    }
    return sb.append("), each listed in --format json").toString();
  }

  private static String summary(ScanReport r) {
    Map<Severity, Integer> counts = new LinkedHashMap<>();
    for (Finding f : r.findings()) {
      counts.merge(f.severity(), 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(r.files().size()).append(" path(s) scanned, ");
    sb.append(r.findings().size()).append(" finding(s)");
    if (!counts.isEmpty()) {
      sb.append(" (");
      boolean first = true;
      for (Severity s : Severity.values()) {
        Integer n = counts.get(s);
        if (n != null) {
          sb.append(first ? "" : ", ").append(n).append(' ').append(s.label());
          first = false;
        }
      }
      sb.append(')');
    }
    if (!r.suppressed().isEmpty()) {
      sb.append(", ").append(r.suppressed().size()).append(" suppressed (--allow, --baseline)");
    }
    if (!r.complete()) {
      sb.append(", ").append(r.errors().size()).append(" error(s): scan incomplete");
    }
    return sb.toString();
  }

  /** The JSON report. */
  public static ObjectNode json(ScanReport r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("schema", JSON_SCHEMA);
    o.put("format", JSON_FORMAT);
    ArrayNode files = o.putArray("paths");
    r.files().forEach(f -> files.add(Printable.json(f)));
    o.put("complete", r.complete());
    r.worst().ifPresentOrElse(w -> o.put("worst", w.label()), () -> o.putNull("worst"));
    ArrayNode fs = o.putArray("findings");
    for (Finding f : r.findings()) {
      ObjectNode x = fs.addObject();
      x.put("rule", f.rule());
      x.put("severity", f.severity().label());
      x.put("file", Printable.json(f.file()));
      x.put("location", Printable.json(f.location()));
      x.put("message", Printable.json(f.message()));
    }
    ArrayNode is = o.putArray("imports");
    for (PickleImport i : r.imports()) {
      ObjectNode x = is.addObject();
      x.put("module", Printable.json(i.module()));
      x.put("name", Printable.json(i.name()));
      x.put("rating", i.rating().name().toLowerCase(Locale.ROOT));
      x.put("file", Printable.json(i.file()));
      x.put("location", Printable.json(i.location()));
    }
    ArrayNode ss = o.putArray("skipped");
    for (Skipped s : r.skipped()) {
      ObjectNode x = ss.addObject();
      x.put("file", Printable.json(s.file()));
      x.put("location", Printable.json(s.location()));
      x.put("reason", Printable.json(s.reason()));
    }
    ArrayNode sup = o.putArray("suppressed");
    for (Suppressed s : r.suppressed()) {
      ObjectNode x = sup.addObject();
      x.put("rule", s.finding().rule());
      x.put("severity", s.finding().severity().label());
      x.put("file", Printable.json(s.finding().file()));
      x.put("location", Printable.json(s.finding().location()));
      x.put("message", Printable.json(s.finding().message()));
      x.put("by", Printable.json(s.reason()));
    }
    ArrayNode es = o.putArray("errors");
    for (ScanError e : r.errors()) {
      ObjectNode x = es.addObject();
      x.put("file", Printable.json(e.file()));
      x.put("location", Printable.json(e.location()));
      x.put("reason", Printable.json(e.reason()));
    }
    return o;
  }

  /** The SARIF 2.1.0 log: one run, one result per finding, errors as notifications. */
  public static ObjectNode sarif(ScanReport r, String toolVersion) {
    ObjectNode log = MAPPER.createObjectNode();
    log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    log.put("version", "2.1.0");
    ObjectNode run = log.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "modelseal");
    driver.put("version", toolVersion);
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> index = new LinkedHashMap<>();
    for (Finding f : r.findings()) {
      if (!index.containsKey(f.rule())) {
        index.put(f.rule(), index.size());
        ObjectNode rule = rules.addObject();
        rule.put("id", f.rule());
        rule.putObject("shortDescription").put("text", RuleCatalog.describe(f.rule()));
      }
    }
    ArrayNode results = run.putArray("results");
    for (Finding f : r.findings()) {
      ObjectNode res = results.addObject();
      res.put("ruleId", f.rule());
      res.put("ruleIndex", index.get(f.rule()));
      res.put("level", level(f.severity()));
      res.putObject("message").put("text", Printable.text(f.message()));
      ObjectNode loc = res.putArray("locations").addObject();
      loc.putObject("physicalLocation").putObject("artifactLocation").put("uri", uri(f.file()));
      if (!f.location().isEmpty()) {
        loc.putArray("logicalLocations")
            .addObject()
            .put("fullyQualifiedName", Printable.text(f.location()));
      }
      res.putObject("partialFingerprints").put(FINGERPRINT, f.fingerprint());
      res.putObject("properties").put("severity", f.severity().label());
    }
    ObjectNode inv = run.putArray("invocations").addObject();
    inv.put("executionSuccessful", r.complete());
    ArrayNode notes = inv.putArray("toolExecutionNotifications");
    for (ScanError e : r.errors()) {
      ObjectNode n = notes.addObject();
      n.put("level", "error");
      n.putObject("message").put("text", Printable.text(e.file() + ": " + e.reason()));
    }
    return log;
  }

  /** SARIF level of a severity: error for critical and high, warning for medium, else note. */
  public static String level(Severity s) {
    return switch (s) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }

  static String uri(String file) {
    Path p = Path.of(file);
    if (p.isAbsolute()) {
      return p.toUri().toString();
    }
    try {
      return new URI(null, null, file.replace('\\', '/'), null).toASCIIString();
    } catch (URISyntaxException e) {
      return p.toAbsolutePath().toUri().toString();
    }
  }

  /** Pretty-printed JSON text of {@code node}. */
  public static String pretty(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
