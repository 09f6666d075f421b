package dev.modelseal.attest;

import dev.modelseal.manifest.Manifest;

/**
 * A metric attestation whose signature verified with the given key, whose model is the model on
 * disk (its OMS root recomputed from the files), and whose metrics met every requirement. Only
 * {@link AttestationVerifier} constructs one. What it does not check: the weight digest, unless the
 * caller compared it ({@link AttestationVerifier#requireWeights}), and how the metrics were
 * computed (that is the signer's claim).
 */
public final class VerifiedAttestation {
  private final MetricsStatement statement;
  private final Manifest manifest;

  VerifiedAttestation(MetricsStatement statement, Manifest manifest) {
    this.statement = statement;
    this.manifest = manifest;
  }

  /** The verified statement: model, metrics, data set. */
  public MetricsStatement statement() {
    return statement;
  }

  /** The manifest of the model as read while verifying. */
  public Manifest manifest() {
    return manifest;
  }

  /** The attested metrics. */
  public Metrics metrics() {
    return statement.metrics();
  }
}
