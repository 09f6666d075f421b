/**
 * modelseal: authenticate machine-learning models before they are loaded.
 *
 * <p>This package holds the exception family shared by every module: {@link
 * dev.modelseal.ModelsealException} and its subclasses. The API proper lives in the subpackages:
 * {@code walk} (which files make up a model), {@code digest} (hashing them, OMS v1.0 compatible),
 * {@code manifest} (the per-file digests and the root), {@code pin} (pins, lock files and the
 * verified handle that is the only way to reach verified bytes), {@code dsse} (the signing
 * envelope), {@code keys} (PEM keys and certificates) and {@code oms} (OpenSSF Model Signing v1.0
 * signatures, verified into the same handle).
 */
package dev.modelseal;
