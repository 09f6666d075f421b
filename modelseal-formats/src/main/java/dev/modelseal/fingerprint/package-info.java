/**
 * Weight fingerprints, definition v1 ({@code docs/fingerprint.md}): per-tensor digests over (dtype,
 * shape, canonical bytes), a weights digest that binds tensor names and a content digest that
 * ignores them; and {@link dev.modelseal.fingerprint.FingerprintDiff}, which locates what changed
 * between two models.
 */
package dev.modelseal.fingerprint;
