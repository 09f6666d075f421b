package dev.modelseal.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.digest.Digest;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.manifest.Serialization;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An evaluation attestation in the proposed in-toto eval-result predicate, {@value #PREDICATE_TYPE}
 * (in-toto/attestation {@code spec/predicates/eval-result.md} at commit 159514c, discussed in issue
 * #565, PR #575), with subject profile {@code public-model}: the subject is the model's OMS root
 * (and weight digest), the {@code commitments} are unsalted SHA-256 digests of the model (its OMS
 * root) and of the data set (its OMS root), and each {@code claims} entry is a {@code metric
 * comparator threshold} verdict. The measured values and what the verifier needs to re-hash the
 * model are kept readable under the extension field {@code modelseal} (unknown fields are ignored
 * by eval-result consumers). Parsing recomputes every {@code passed} from the recorded metric and
 * refuses a statement where they disagree. Mapping: docs/attestations.md. Immutable.
 *
 * @param model the model
 * @param metrics the measured metrics
 * @param dataset the data set (required: eval-result commits to one)
 * @param claims the threshold verdicts
 * @param suite the evaluation suite's name
 * @param suiteVersion its version
 * @param sampleSize the number of samples evaluated
 * @param evaluatedAt when the evaluation ran
 * @param verifierId who emitted the result (a URI)
 * @param assuranceLevel {@code self_attested}, {@code third_party}, {@code reproduced} or {@code
 *     enclave_attested}
 */
public record EvalStatement(
    StatementModel model,
    Metrics metrics,
    MetricsStatement.Dataset dataset,
    List<Claim> claims,
    String suite,
    String suiteVersion,
    long sampleSize,
    Instant evaluatedAt,
    String verifierId,
    String assuranceLevel)
    implements AttestationStatement {

  /** The eval-result predicate type (v0.1, a proposal). */
  public static final String PREDICATE_TYPE = "https://in-toto.io/attestation/eval-result/v0.1";

  /** The assurance levels eval-result defines. */
  public static final List<String> ASSURANCE_LEVELS =
      List.of("self_attested", "third_party", "reproduced", "enclave_attested");

  /** At most this many claims. */
  public static final int MAX_CLAIMS = 256;

  /**
   * The model part every statement kind shares.
   *
   * @param name the model's name
   * @param root its OMS root
   * @param pin its pin, when recorded
   * @param serialization how root and pin were computed
   * @param weights the weight content digest, when readable
   */
  public record StatementModel(
      String name,
      Digest root,
      Optional<PinDigest> pin,
      Serialization serialization,
      Optional<Digest> weights) {
    /** Validates the fields. */
    public StatementModel {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(pin, "pin");
      Objects.requireNonNull(serialization, "serialization");
      Objects.requireNonNull(weights, "weights");
    }
  }

  /**
   * One eval-result claim: {@code metric comparator threshold} and whether it passed.
   *
   * @param requirement the metric, comparator ({@code >= > <= <}) and threshold
   * @param passed whether the measured value meets it
   */
  public record Claim(MetricRequirement requirement, boolean passed) {
    /** The claim of {@code requirement} on {@code metrics} (the metric must be there). */
    public static Claim of(MetricRequirement requirement, Metrics metrics) {
      if (requirement.op() == MetricRequirement.Op.EQ) {
        throw new IllegalArgumentException("eval-result comparators are >= > <= <, not ==");
      }
      if (!metrics.values().containsKey(requirement.metric())) {
        throw new IllegalArgumentException(
            "claim " + requirement + " names a metric that was not measured");
      }
      return new Claim(requirement, requirement.check(metrics) == null);
    }
  }

  /** Validates the fields. */
  public EvalStatement {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(dataset, "dataset");
    claims = List.copyOf(claims);
    if (claims.isEmpty() || claims.size() > MAX_CLAIMS) {
      throw new IllegalArgumentException("an eval-result holds 1 to " + MAX_CLAIMS + " claims");
    }
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(suiteVersion, "suiteVersion");
    Objects.requireNonNull(evaluatedAt, "evaluatedAt");
    Objects.requireNonNull(verifierId, "verifierId");
    if (!ASSURANCE_LEVELS.contains(assuranceLevel)) {
      throw new IllegalArgumentException("assuranceLevel must be one of " + ASSURANCE_LEVELS);
    }
    if (sampleSize < 0) {
      throw new IllegalArgumentException("sampleSize must be >= 0");
    }
  }

  @Override
  public String predicateType() {
    return PREDICATE_TYPE;
  }

  @Override
  public String modelName() {
    return model.name();
  }

  @Override
  public Digest root() {
    return model.root();
  }

  @Override
  public Serialization serialization() {
    return model.serialization();
  }

  @Override
  public Optional<Digest> weightsContentDigest() {
    return model.weights();
  }

  @Override
  public Optional<PinDigest> pin() {
    return model.pin();
  }

  private StatementJson.Model json() {
    return new StatementJson.Model(
        model.name(), model.root(), model.pin(), model.serialization(), model.weights());
  }

  @Override
  public byte[] toBytes() {
    ObjectNode s = StatementJson.start(json(), PREDICATE_TYPE);
    ObjectNode p = s.putObject("predicate");
    p.putObject("verifier").put("id", verifierId);
    p.put("evaluatedAt", evaluatedAt.toString());
    ObjectNode su = p.putObject("suite");
    su.put("name", suite);
    su.put("version", suiteVersion);
    ArrayNode cs = p.putArray("claims");
    for (Claim c : claims) {
      ObjectNode o = cs.addObject();
      o.put("metric", c.requirement().metric());
      o.put("comparator", c.requirement().op().symbol());
      o.put("threshold", c.requirement().value().toPlainString());
      o.put("passed", c.passed());
    }
    p.put("sampleSize", sampleSize);
    ObjectNode cm = p.putObject("commitments");
    commitment(cm.putObject("model"), model.root());
    commitment(cm.putObject("dataset"), dataset.digest());
    p.put("assuranceLevel", assuranceLevel);
    p.put("subjectProfile", "public-model");
    ObjectNode ext = p.putObject("modelseal");
    StatementJson.writeModel(ext.putObject("model"), json());
    ObjectNode m = ext.putObject("metrics");
    for (Map.Entry<String, BigDecimal> e : metrics.values().entrySet()) {
      m.put(e.getKey(), e.getValue());
    }
    ObjectNode d = ext.putObject("dataset");
    d.put("name", dataset.name());
    d.put("digest", dataset.digest().toString());
    return StatementJson.bytes(s);
  }

  private static void commitment(ObjectNode o, Digest d) {
    o.put("alg", d.algorithm());
    o.put("value", d.hex());
    o.put("salted", false);
  }

  /**
   * Parses statement bytes strictly (the eval-result fields and our extension, which must agree).
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static EvalStatement parse(byte[] payload) {
    JsonNode s = StatementJson.open(payload, PREDICATE_TYPE);
    JsonNode p = StrictJson.object(s, "predicate", "statement");
    JsonNode ext = StrictJson.object(p, "modelseal", "predicate");
    StatementJson.Model m =
        StatementJson.readModel(
            s, StrictJson.object(ext, "model", "predicate.modelseal"), "predicate.modelseal.model");
    Metrics metrics = Metrics.parse(ext.get("metrics"), "predicate.modelseal.metrics");
    JsonNode d = StrictJson.object(ext, "dataset", "predicate.modelseal");
    MetricsStatement.Dataset dataset =
        new MetricsStatement.Dataset(
            StatementJson.boundedText(d, "name", 256, "predicate.modelseal.dataset"),
            StatementJson.digest(
                StrictJson.text(d, "digest", "predicate.modelseal.dataset"),
                "predicate.modelseal.dataset.digest"));
    JsonNode cm = StrictJson.object(p, "commitments", "predicate");
    requireCommitment(cm, "model", m.root());
    requireCommitment(cm, "dataset", dataset.digest());
    if (!"public-model".equals(StrictJson.text(p, "subjectProfile", "predicate"))) {
      throw new IllegalArgumentException("predicate.subjectProfile is not public-model");
    }
    JsonNode cs = StrictJson.array(p, "claims", "predicate");
    if (cs.size() > MAX_CLAIMS) {
      throw new IllegalArgumentException("predicate.claims holds more than " + MAX_CLAIMS);
    }
    List<Claim> claims = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) {
      String w = "predicate.claims[" + i + "]";
      JsonNode c = cs.get(i);
      String text =
          StatementJson.boundedText(c, "metric", 64, w)
              + StatementJson.boundedText(c, "comparator", 2, w)
              + StatementJson.boundedText(c, "threshold", 64, w);
      MetricRequirement r = MetricRequirement.parse(text);
      JsonNode passed = c.get("passed");
      if (passed == null || !passed.isBoolean()) {
        throw new IllegalArgumentException(w + ".passed must be a boolean");
      }
      Claim recomputed;
      try {
        recomputed = Claim.of(r, metrics);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(w + ": " + e.getMessage());
      }
      if (recomputed.passed() != passed.booleanValue()) {
        throw new IllegalArgumentException(
            w + ".passed disagrees with the recorded metric " + r.metric());
      }
      claims.add(recomputed);
    }
    JsonNode su = StrictJson.object(p, "suite", "predicate");
    Instant at;
    try {
      at = Instant.parse(StrictJson.text(p, "evaluatedAt", "predicate"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("predicate.evaluatedAt is not an RFC 3339 UTC time");
    }
    return new EvalStatement(
        new StatementModel(m.name(), m.root(), m.pin(), m.serialization(), m.weights()),
        metrics,
        dataset,
        claims,
        StatementJson.boundedText(su, "name", 256, "predicate.suite"),
        StatementJson.boundedText(su, "version", 256, "predicate.suite"),
        StrictJson.wholeNumber(p, "sampleSize", "predicate"),
        at,
        StatementJson.boundedText(
            StrictJson.object(p, "verifier", "predicate"), "id", 1024, "predicate.verifier"),
        StrictJson.text(p, "assuranceLevel", "predicate"));
  }

  private static void requireCommitment(JsonNode cm, String name, Digest d) {
    String w = "predicate.commitments." + name;
    JsonNode c = StrictJson.object(cm, name, "predicate.commitments");
    if (!d.algorithm().equals(StrictJson.text(c, "alg", w))
        || !d.hex().equals(StrictJson.text(c, "value", w))
        || StrictJson.bool(c, "salted", true, w)) {
      throw new IllegalArgumentException(w + " is not the unsalted digest of the modelseal model");
    }
  }
}
