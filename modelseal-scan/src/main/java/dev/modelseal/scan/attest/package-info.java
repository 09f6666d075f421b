/**
 * Scan attestations: {@link dev.modelseal.scan.attest.ScanAttester} reads a model once into a
 * verified private copy, scans exactly those bytes and states the result as a {@link
 * dev.modelseal.attest.ScanStatement} bound to the model's OMS root and pin, for the core's
 * attester to sign and its {@link dev.modelseal.attest.AttestationVerifier} to verify.
 */
package dev.modelseal.scan.attest;
