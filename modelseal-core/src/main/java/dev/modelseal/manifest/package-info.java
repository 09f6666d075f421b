/**
 * Manifests: the digest of every resource of a model, the OMS root digest over them, and the pin
 * ({@link dev.modelseal.manifest.PinDigest}) that also binds their names and sizes. {@link
 * dev.modelseal.manifest.ModelHasher} computes one from a walked tree (in parallel, with flat
 * memory); {@link dev.modelseal.manifest.ManifestComparison} says which files differ between two.
 */
package dev.modelseal.manifest;
