package dev.modelseal.attest;

import dev.modelseal.digest.Digest;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.manifest.Serialization;
import java.util.Optional;

/**
 * An in-toto Statement v1 about one model that {@link AttestationVerifier} can bind to the model's
 * files: every kind records the model's name, OMS root, serialization and, where readable, its
 * weight content digest. The kinds: {@link MetricsStatement} (our metrics predicate), {@link
 * ScanStatement} (a scan result) and {@link EvalStatement} (the proposed in-toto eval-result
 * predicate). Immutable; {@link #toBytes()} is deterministic.
 */
public sealed interface AttestationStatement
    permits MetricsStatement, ScanStatement, EvalStatement {
  /** in-toto Statement v1. */
  String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";

  /** The DSSE payload type of in-toto statements. */
  String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  /** The predicate type this statement is written with. */
  String predicateType();

  /** The model's name. */
  String modelName();

  /** The model's OMS root digest. */
  Digest root();

  /** How the root (and pin) were computed; re-applied when verifying. */
  Serialization serialization();

  /** The weight content digest, when the format was readable. */
  Optional<Digest> weightsContentDigest();

  /**
   * The model's pin, when the statement records one: it binds every file's name too, and is then
   * what the verifier compares (else the OMS root).
   */
  default Optional<PinDigest> pin() {
    return Optional.empty();
  }

  /** The statement's bytes: compact JSON, fixed key order. */
  byte[] toBytes();

  /**
   * Parses statement bytes strictly, by predicate type.
   *
   * @throws IllegalArgumentException naming the offending field, or an unknown predicate type
   */
  static AttestationStatement parse(byte[] payload) {
    String type = StrictJson.text(StrictJson.parseObject(payload), "predicateType", "statement");
    return switch (type) {
      case MetricsStatement.PREDICATE_TYPE -> MetricsStatement.parse(payload);
      case ScanStatement.PREDICATE_TYPE -> ScanStatement.parse(payload);
      case EvalStatement.PREDICATE_TYPE -> EvalStatement.parse(payload);
      default ->
          throw new IllegalArgumentException(
              "statement.predicateType '"
                  + (type.length() > 100 ? type.substring(0, 100) + "..." : type)
                  + "' is no attestation this verifier reads");
    };
  }
}
