package dev.modelseal.attest;

import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.Manifest;
import java.util.Optional;

/**
 * An attestation (metrics, scan or evaluation) whose signature verified with the given key, whose
 * model is the model read (its OMS root recomputed from the files), and whose metrics met every
 * requirement. Only {@link AttestationVerifier} constructs one (private constructor, held so by an
 * ArchUnit rule). What it does not check: the weight digest, unless the verifier was given a {@link
 * WeightsReader} ({@link #verifiedWeights()} then holds the digest it computed from the verified
 * bytes), and how the metrics were computed (that is the signer's claim).
 */
public final class VerifiedAttestation {
  private final AttestationStatement statement;
  private final Manifest manifest;
  private final Digest weights;

  private VerifiedAttestation(AttestationStatement statement, Manifest manifest, Digest weights) {
    this.statement = statement;
    this.manifest = manifest;
    this.weights = weights;
  }

  /** For {@link AttestationVerifier}, once every check passed. */
  static VerifiedAttestation afterChecks(
      AttestationStatement statement, Manifest manifest, Digest weights) {
    return new VerifiedAttestation(statement, manifest, weights);
  }

  /** The verified statement: model, metrics, data set. */
  public AttestationStatement statement() {
    return statement;
  }

  /** The manifest of the model as read while verifying. */
  public Manifest manifest() {
    return manifest;
  }

  /** The attested metrics (none for a scan attestation). */
  public Metrics metrics() {
    if (statement instanceof MetricsStatement m) {
      return m.metrics();
    }
    if (statement instanceof EvalStatement e) {
      return e.metrics();
    }
    return Metrics.empty();
  }

  /** The weight content digest computed from the verified bytes and matched, when compared. */
  public Optional<Digest> verifiedWeights() {
    return Optional.ofNullable(weights);
  }
}
