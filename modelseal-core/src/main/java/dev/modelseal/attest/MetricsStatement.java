package dev.modelseal.attest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.digest.Digest;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.manifest.SerializationJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The in-toto Statement v1 of a metric attestation, predicate type {@value #PREDICATE_TYPE}:
 *
 * <pre>{@code
 * {"_type": "https://in-toto.io/Statement/v1",
 *  "subject": [{"name": "<model>", "digest": {"sha256": "<OMS root>"}},
 *              {"name": "<model>#weights", "digest": {"sha256": "<weight content digest>"}}],
 *  "predicateType": "https://modelseal.dev/attestation/model-metrics/v1",
 *  "predicate": {"model": {"name", "root", "serialization", "weights_content_digest"?},
 *                "metrics": {"f1": 0.943, ...},
 *                "dataset": {"name", "digest"}?}}
 * }</pre>
 *
 * The first subject is always the model's OMS root digest; the second is present when the model's
 * format could be read for a weight fingerprint. Bytes are deterministic (fixed key order, decimals
 * written plainly). Immutable.
 *
 * @param modelName the model's name
 * @param root the model's OMS root digest
 * @param serialization how the root was computed (re-applied when verifying)
 * @param weightsContentDigest the weight content digest, when known
 * @param metrics the metrics
 * @param dataset what the metrics were computed on, when given
 */
public record MetricsStatement(
    String modelName,
    Digest root,
    Serialization serialization,
    Optional<Digest> weightsContentDigest,
    Metrics metrics,
    Optional<Dataset> dataset)
    implements AttestationStatement {

  /** Our predicate type. */
  public static final String PREDICATE_TYPE = "https://modelseal.dev/attestation/model-metrics/v1";

  /** in-toto Statement v1. */
  public static final String STATEMENT_TYPE = AttestationStatement.STATEMENT_TYPE;

  /** The DSSE payload type of in-toto statements. */
  public static final String PAYLOAD_TYPE = AttestationStatement.PAYLOAD_TYPE;

  private static final ObjectMapper WRITER =
      JsonMapper.builder()
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  /**
   * The data set the metrics were computed on.
   *
   * @param name a label
   * @param digest its digest (the OMS root of the data set's files)
   */
  public record Dataset(String name, Digest digest) {
    /** Validates the fields. */
    public Dataset {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(digest, "digest");
    }
  }

  /** Validates the fields. */
  public MetricsStatement {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(serialization, "serialization");
    Objects.requireNonNull(weightsContentDigest, "weightsContentDigest");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(dataset, "dataset");
  }

  @Override
  public String predicateType() {
    return PREDICATE_TYPE;
  }

  /** The statement's bytes: compact JSON, fixed key order. */
  @Override
  public byte[] toBytes() {
    ObjectNode s = WRITER.createObjectNode();
    s.put("_type", STATEMENT_TYPE);
    ArrayNode subjects = s.putArray("subject");
    subject(subjects, modelName, root);
    weightsContentDigest.ifPresent(w -> subject(subjects, modelName + "#weights", w));
    s.put("predicateType", PREDICATE_TYPE);
    ObjectNode p = s.putObject("predicate");
    ObjectNode model = p.putObject("model");
    model.put("name", modelName);
    model.put("root", root.toString());
    model.set("serialization", SerializationJson.write(serialization));
    weightsContentDigest.ifPresent(w -> model.put("weights_content_digest", w.toString()));
    ObjectNode m = p.putObject("metrics");
    for (Map.Entry<String, java.math.BigDecimal> e : metrics.values().entrySet()) {
      m.put(e.getKey(), e.getValue());
    }
    dataset.ifPresent(
        d -> {
          ObjectNode o = p.putObject("dataset");
          o.put("name", d.name());
          o.put("digest", d.digest().toString());
        });
    try {
      return WRITER.writeValueAsBytes(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void subject(ArrayNode subjects, String name, Digest d) {
    ObjectNode o = subjects.addObject();
    o.put("name", name);
    o.putObject("digest").put(d.algorithm(), d.hex());
  }

  /**
   * Parses statement bytes strictly.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static MetricsStatement parse(byte[] payload) {
    JsonNode s = StrictJson.parseObject(payload);
    if (!STATEMENT_TYPE.equals(StrictJson.text(s, "_type", "statement"))) {
      throw new IllegalArgumentException("statement._type is not " + STATEMENT_TYPE);
    }
    if (!PREDICATE_TYPE.equals(StrictJson.text(s, "predicateType", "statement"))) {
      throw new IllegalArgumentException(
          "statement.predicateType is not " + PREDICATE_TYPE + " (not a metric attestation)");
    }
    JsonNode subjects = StrictJson.array(s, "subject", "statement");
    if (subjects.size() < 1 || subjects.size() > 2) {
      throw new IllegalArgumentException("statement.subject must hold 1 or 2 entries");
    }
    JsonNode p = StrictJson.object(s, "predicate", "statement");
    JsonNode model = StrictJson.object(p, "model", "predicate");
    String name = StrictJson.text(model, "name", "predicate.model");
    Digest root = digest(StrictJson.text(model, "root", "predicate.model"), "predicate.model.root");
    Serialization ser =
        SerializationJson.read(
            StrictJson.object(model, "serialization", "predicate.model"),
            "predicate.model.serialization");
    Optional<Digest> weights =
        model.has("weights_content_digest")
            ? Optional.of(
                digest(
                    StrictJson.text(model, "weights_content_digest", "predicate.model"),
                    "predicate.model.weights_content_digest"))
            : Optional.empty();
    // The subjects must say exactly what the predicate says.
    requireSubject(subjects.get(0), name, root, "statement.subject[0]");
    if (weights.isPresent() != (subjects.size() == 2)) {
      throw new IllegalArgumentException("statement.subject and predicate disagree on weights");
    }
    if (weights.isPresent()) {
      requireSubject(subjects.get(1), name + "#weights", weights.get(), "statement.subject[1]");
    }
    Metrics metrics = Metrics.parse(p.get("metrics"), "predicate.metrics");
    Optional<Dataset> dataset = Optional.empty();
    if (p.has("dataset")) {
      JsonNode d = StrictJson.object(p, "dataset", "predicate");
      dataset =
          Optional.of(
              new Dataset(
                  StrictJson.text(d, "name", "predicate.dataset"),
                  digest(
                      StrictJson.text(d, "digest", "predicate.dataset"),
                      "predicate.dataset.digest")));
    }
    return new MetricsStatement(name, root, ser, weights, metrics, dataset);
  }

  private static void requireSubject(JsonNode subject, String name, Digest d, String where) {
    if (!subject.isObject()
        || !name.equals(StrictJson.text(subject, "name", where))
        || !d.hex()
            .equals(
                StrictJson.text(
                    StrictJson.object(subject, "digest", where), "sha256", where + ".digest"))) {
      throw new IllegalArgumentException(where + " does not match the predicate's model");
    }
  }

  private static Digest digest(String text, String where) {
    try {
      Digest d = Digest.parse(text);
      if (!"sha256".equals(d.algorithm())) {
        throw new IllegalArgumentException("not sha256");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }
}
