/**
 * Metric attestations: a DSSE-signed in-toto Statement binding evaluation metrics (F1, accuracy,
 * ...) and what they were computed on to the exact model digest, so that the model deployed is the
 * model that was tested. {@link dev.modelseal.attest.MetricsAttester} signs; {@link
 * dev.modelseal.attest.AttestationVerifier} checks the signature, the model and the required
 * metrics, and returns a {@link dev.modelseal.attest.VerifiedAttestation} or throws.
 */
package dev.modelseal.attest;
