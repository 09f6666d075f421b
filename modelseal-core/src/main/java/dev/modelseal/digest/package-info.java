/**
 * Hash primitives: the OMS hash algorithms ({@link dev.modelseal.digest.HashAlgorithm}) over vetted
 * implementations, and the immutable, constant-time-comparable {@link dev.modelseal.digest.Digest}.
 */
package dev.modelseal.digest;
