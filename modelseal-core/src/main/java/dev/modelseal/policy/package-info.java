/**
 * Deploy policies ({@link dev.modelseal.policy.ModelPolicy}): which signers a model from each
 * source must be signed by, or the pin it must have, what its scan and its attestations must show,
 * and whether a failure refuses the model ({@code enforce}) or is reported ({@code warn}). Parsing
 * is strict (unknown keys refused, every size bounded); a policy is data, verification is done by
 * {@link dev.modelseal.oms.OmsVerifier} and the attestation verifiers.
 */
package dev.modelseal.policy;
