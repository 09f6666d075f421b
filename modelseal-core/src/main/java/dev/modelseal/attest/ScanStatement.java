package dev.modelseal.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.digest.Digest;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.manifest.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The in-toto Statement v1 of a scan attestation, predicate type {@value #PREDICATE_TYPE}
 * (docs/attestations.md, JSON Schema docs/schemas/scan-v1.schema.json): which scanner (version and
 * the digest of its rule set) scanned exactly the bytes of which model (OMS root, pin, weight
 * digest), the worst severity, the findings (at most {@value #MAX_FINDINGS}, each text field at
 * most {@value #MAX_TEXT} characters) and the dependencies the model names for its loader. The core
 * knows severities only as their labels ({@link #LEVELS}, in increasing order); the scanner module
 * makes these statements. Immutable.
 *
 * @param modelName the model's name
 * @param root the model's OMS root digest
 * @param modelPin the model's pin (compared when verifying: it binds file names)
 * @param serialization how root and pin were computed
 * @param weightsContentDigest the weight content digest, when readable
 * @param scannerVersion the scanner's version
 * @param rules the digest of the scanner's rule set (rule classes and built-in lists)
 * @param worst the worst severity found, {@code none} when nothing was found
 * @param complete true when every file could be read
 * @param findingCount how many findings there were (also those not listed)
 * @param findings the findings listed, worst first
 * @param dependencies what the model makes its loader fetch or names as its base
 */
public record ScanStatement(
    String modelName,
    Digest root,
    PinDigest modelPin,
    Serialization serialization,
    Optional<Digest> weightsContentDigest,
    String scannerVersion,
    Digest rules,
    String worst,
    boolean complete,
    int findingCount,
    List<Finding> findings,
    List<Dependency> dependencies)
    implements AttestationStatement {

  /** Our predicate type. */
  public static final String PREDICATE_TYPE = "https://modelseal.dev/scan/v1";

  /** Severity labels in increasing order; {@code none} is below every finding. */
  public static final List<String> LEVELS =
      List.of("none", "info", "low", "medium", "high", "critical");

  /** At most this many findings are listed (the count says how many there were). */
  public static final int MAX_FINDINGS = 256;

  /** At most this many dependencies are listed. */
  public static final int MAX_DEPENDENCIES = 256;

  /** The longest text field. */
  public static final int MAX_TEXT = 1024;

  /**
   * One finding.
   *
   * @param rule rule id
   * @param severity severity label
   * @param file file, as scanned (relative to the model)
   * @param location where inside the file
   * @param message what was found
   */
  public record Finding(
      String rule, String severity, String file, String location, String message) {
    /** Validates the severity and bounds the texts. */
    public Finding {
      if (!LEVELS.contains(severity) || "none".equals(severity)) {
        throw new IllegalArgumentException("unknown severity '" + severity + "'");
      }
      rule = clip(rule);
      file = clip(file);
      location = clip(location);
      message = clip(message);
    }
  }

  /**
   * A model the loader fetches, or that a config names as its base.
   *
   * @param name a hub id or path, as written
   * @param revision the revision, as written, or empty
   * @param file the config that names it
   * @param field the field
   * @param fetched true when a loader fetches it by itself (an adapter's base model, remote code of
   *     another repository); false when it is only recorded (transformers' {@code _name_or_path})
   */
  public record Dependency(
      String name, String revision, String file, String field, boolean fetched) {
    /** Bounds the texts. */
    public Dependency {
      name = clip(name);
      revision = clip(revision);
      file = clip(file);
      field = clip(field);
    }

    /** True when the revision is a full commit hash (40 or 64 lower-case hex digits). */
    public boolean pinned() {
      if (revision.length() != 40 && revision.length() != 64) {
        return false;
      }
      for (int i = 0; i < revision.length(); i++) {
        char c = revision.charAt(i);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
          return false;
        }
      }
      return true;
    }
  }

  /** Validates the fields. */
  public ScanStatement {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(modelPin, "modelPin");
    Objects.requireNonNull(serialization, "serialization");
    Objects.requireNonNull(weightsContentDigest, "weightsContentDigest");
    Objects.requireNonNull(scannerVersion, "scannerVersion");
    Objects.requireNonNull(rules, "rules");
    if (!LEVELS.contains(worst)) {
      throw new IllegalArgumentException("unknown severity '" + worst + "'");
    }
    findings = List.copyOf(findings.subList(0, Math.min(findings.size(), MAX_FINDINGS)));
    dependencies =
        List.copyOf(dependencies.subList(0, Math.min(dependencies.size(), MAX_DEPENDENCIES)));
    if (findingCount < findings.size()) {
      throw new IllegalArgumentException("findingCount is less than the findings listed");
    }
  }

  @Override
  public String predicateType() {
    return PREDICATE_TYPE;
  }

  @Override
  public Optional<PinDigest> pin() {
    return Optional.of(modelPin);
  }

  /** The rank of {@code label} in {@link #LEVELS}, or -1. */
  public static int rank(String label) {
    return LEVELS.indexOf(label);
  }

  private StatementJson.Model model() {
    return new StatementJson.Model(
        modelName, root, Optional.of(modelPin), serialization, weightsContentDigest);
  }

  @Override
  public byte[] toBytes() {
    ObjectNode s = StatementJson.start(model(), PREDICATE_TYPE);
    ObjectNode p = s.putObject("predicate");
    StatementJson.writeModel(p.putObject("model"), model());
    ObjectNode sc = p.putObject("scanner");
    sc.put("name", "modelseal-scan");
    sc.put("version", scannerVersion);
    sc.put("rules", rules.toString());
    ObjectNode r = p.putObject("result");
    r.put("worst", worst);
    r.put("complete", complete);
    r.put("findingCount", findingCount);
    ArrayNode fs = r.putArray("findings");
    for (Finding f : findings) {
      ObjectNode o = fs.addObject();
      o.put("rule", f.rule());
      o.put("severity", f.severity());
      o.put("file", f.file());
      o.put("location", f.location());
      o.put("message", f.message());
    }
    ArrayNode ds = p.putArray("dependencies");
    for (Dependency d : dependencies) {
      ObjectNode o = ds.addObject();
      o.put("name", d.name());
      o.put("revision", d.revision());
      o.put("file", d.file());
      o.put("field", d.field());
      o.put("fetched", d.fetched());
      o.put("pinned", d.pinned());
    }
    return StatementJson.bytes(s);
  }

  /**
   * Parses statement bytes strictly.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static ScanStatement parse(byte[] payload) {
    JsonNode s = StatementJson.open(payload, PREDICATE_TYPE);
    JsonNode p = StrictJson.object(s, "predicate", "statement");
    StatementJson.Model m =
        StatementJson.readModel(s, StrictJson.object(p, "model", "predicate"), "predicate.model");
    if (m.pin().isEmpty()) {
      throw new IllegalArgumentException("predicate.model.pin must be a string");
    }
    JsonNode sc = StrictJson.object(p, "scanner", "predicate");
    String version = StatementJson.boundedText(sc, "version", MAX_TEXT, "predicate.scanner");
    Digest rules =
        StatementJson.digest(
            StrictJson.text(sc, "rules", "predicate.scanner"), "predicate.scanner.rules");
    JsonNode r = StrictJson.object(p, "result", "predicate");
    String worst = StrictJson.text(r, "worst", "predicate.result");
    if (rank(worst) < 0) {
      throw new IllegalArgumentException("predicate.result.worst is no severity");
    }
    JsonNode complete = r.get("complete");
    if (complete == null || !complete.isBoolean()) {
      throw new IllegalArgumentException("predicate.result.complete must be a boolean");
    }
    long count = StrictJson.wholeNumber(r, "findingCount", "predicate.result");
    JsonNode fs = StrictJson.array(r, "findings", "predicate.result");
    if (fs.size() > MAX_FINDINGS || count > Integer.MAX_VALUE || count < fs.size()) {
      throw new IllegalArgumentException("predicate.result.findings is out of bounds");
    }
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < fs.size(); i++) {
      String w = "predicate.result.findings[" + i + "]";
      JsonNode f = fs.get(i);
      String sev = StrictJson.text(f, "severity", w);
      if (rank(sev) <= 0) {
        throw new IllegalArgumentException(w + ".severity is no severity");
      }
      if (rank(sev) > rank(worst)) {
        throw new IllegalArgumentException(w + ".severity is worse than predicate.result.worst");
      }
      findings.add(
          new Finding(
              StatementJson.boundedText(f, "rule", MAX_TEXT, w),
              sev,
              StatementJson.boundedText(f, "file", MAX_TEXT, w),
              StatementJson.boundedText(f, "location", MAX_TEXT, w),
              StatementJson.boundedText(f, "message", MAX_TEXT, w)));
    }
    if (count == 0 && rank(worst) != 0) {
      throw new IllegalArgumentException("predicate.result.worst is not none without findings");
    }
    JsonNode ds = StrictJson.array(p, "dependencies", "predicate");
    if (ds.size() > MAX_DEPENDENCIES) {
      throw new IllegalArgumentException("predicate.dependencies is out of bounds");
    }
    List<Dependency> deps = new ArrayList<>();
    for (int i = 0; i < ds.size(); i++) {
      String w = "predicate.dependencies[" + i + "]";
      JsonNode d = ds.get(i);
      deps.add(
          new Dependency(
              StatementJson.boundedText(d, "name", MAX_TEXT, w),
              StatementJson.boundedText(d, "revision", MAX_TEXT, w),
              StatementJson.boundedText(d, "file", MAX_TEXT, w),
              StatementJson.boundedText(d, "field", MAX_TEXT, w),
              StrictJson.bool(d, "fetched", false, w)));
    }
    return new ScanStatement(
        m.name(),
        m.root(),
        m.pin().get(),
        m.serialization(),
        m.weights(),
        version,
        rules,
        worst,
        complete.booleanValue(),
        (int) count,
        findings,
        deps);
  }

  private static String clip(String s) {
    Objects.requireNonNull(s);
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 3) + "...";
  }
}
