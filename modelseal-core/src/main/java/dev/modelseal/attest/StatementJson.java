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
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.manifest.SerializationJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The pieces every statement kind writes and reads the same way (the model, its subjects). */
final class StatementJson {
  static final ObjectMapper WRITER =
      JsonMapper.builder()
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private StatementJson() {}

  /** The model as a statement describes it. */
  record Model(
      String name,
      Digest root,
      Optional<PinDigest> pin,
      Serialization serialization,
      Optional<Digest> weights) {}

  /** A statement with {@code _type}, the model's subjects and the predicate type; returns it. */
  static ObjectNode start(Model m, String predicateType) {
    ObjectNode s = WRITER.createObjectNode();
    s.put("_type", AttestationStatement.STATEMENT_TYPE);
    ArrayNode subjects = s.putArray("subject");
    subject(subjects, m.name(), m.root());
    m.weights().ifPresent(w -> subject(subjects, m.name() + "#weights", w));
    s.put("predicateType", predicateType);
    return s;
  }

  /** Writes {@code {name, root, pin?, serialization, weights_content_digest?}}. */
  static void writeModel(ObjectNode model, Model m) {
    model.put("name", m.name());
    model.put("root", m.root().toString());
    m.pin().ifPresent(p -> model.put("pin", p.toString()));
    model.set("serialization", SerializationJson.write(m.serialization()));
    m.weights().ifPresent(w -> model.put("weights_content_digest", w.toString()));
  }

  static byte[] bytes(ObjectNode s) {
    try {
      return WRITER.writeValueAsBytes(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks {@code _type} and the predicate type; returns the statement. */
  static JsonNode open(byte[] payload, String predicateType) {
    JsonNode s = StrictJson.parseObject(payload);
    if (!AttestationStatement.STATEMENT_TYPE.equals(StrictJson.text(s, "_type", "statement"))) {
      throw new IllegalArgumentException(
          "statement._type is not " + AttestationStatement.STATEMENT_TYPE);
    }
    if (!predicateType.equals(StrictJson.text(s, "predicateType", "statement"))) {
      throw new IllegalArgumentException("statement.predicateType is not " + predicateType);
    }
    return s;
  }

  /** Reads the model object at {@code where} and checks the subjects say the same. */
  static Model readModel(JsonNode statement, JsonNode model, String where) {
    String name = StrictJson.text(model, "name", where);
    Digest root = digest(StrictJson.text(model, "root", where), where + ".root");
    Optional<PinDigest> pin = Optional.empty();
    if (model.has("pin")) {
      try {
        pin = Optional.of(PinDigest.parse(StrictJson.text(model, "pin", where)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".pin: " + e.getMessage());
      }
    }
    Serialization ser =
        SerializationJson.read(
            StrictJson.object(model, "serialization", where), where + ".serialization");
    Optional<Digest> weights =
        model.has("weights_content_digest")
            ? Optional.of(
                digest(
                    StrictJson.text(model, "weights_content_digest", where),
                    where + ".weights_content_digest"))
            : Optional.empty();
    JsonNode subjects = StrictJson.array(statement, "subject", "statement");
    if (subjects.size() < 1 || subjects.size() > 2) {
      throw new IllegalArgumentException("statement.subject must hold 1 or 2 entries");
    }
    requireSubject(subjects.get(0), name, root, "statement.subject[0]");
    if (weights.isPresent() != (subjects.size() == 2)) {
      throw new IllegalArgumentException("statement.subject and predicate disagree on weights");
    }
    if (weights.isPresent()) {
      requireSubject(subjects.get(1), name + "#weights", weights.get(), "statement.subject[1]");
    }
    return new Model(name, root, pin, ser, weights);
  }

  private static void subject(ArrayNode subjects, String name, Digest d) {
    ObjectNode o = subjects.addObject();
    o.put("name", name);
    o.putObject("digest").put(d.algorithm(), d.hex());
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

  static Digest digest(String text, String where) {
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

  /** Text of at most {@code max} characters at {@code name}. */
  static String boundedText(JsonNode node, String name, int max, String where) {
    String t = StrictJson.text(node, name, where);
    if (t.length() > max) {
      throw new IllegalArgumentException(where + "." + name + " is longer than " + max);
    }
    return t;
  }
}
