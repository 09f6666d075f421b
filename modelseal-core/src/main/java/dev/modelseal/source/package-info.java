/**
 * Where a model is read from: {@link dev.modelseal.source.ModelSource} (a local file or directory,
 * an S3 prefix in {@code modelseal-s3}, and registries to come), so that one verifier ({@link
 * dev.modelseal.oms.OmsVerifier}) checks signatures, attestations and scans the same way for every
 * source. A source only moves bytes: it reads the signature file it is asked for and feeds the
 * model's files to a {@link dev.modelseal.pin.ModelPin}, which does every comparison. Remote
 * sources extend {@link dev.modelseal.source.StreamedModelSource}: they list resources (name, size,
 * an optional digest the store already knows) and stream each one into a staged copy that is hashed
 * as it is written.
 */
package dev.modelseal.source;
