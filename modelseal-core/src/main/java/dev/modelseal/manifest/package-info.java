/**
 * Manifests: the digest of every resource of a model and the OMS root digest over them. {@link
 * dev.modelseal.manifest.ModelHasher} computes one from a walked tree (in parallel, with flat
 * memory); {@link dev.modelseal.manifest.ManifestComparison} says which files differ between two.
 */
package dev.modelseal.manifest;
