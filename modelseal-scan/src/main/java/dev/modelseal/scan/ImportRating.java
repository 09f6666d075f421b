package dev.modelseal.scan;

/**
 * How a global imported by a pickle is rated: {@link #SAFE} when it is on the allowlist of tensor
 * and container builders, {@link #DANGEROUS} when it is a known way to run commands, code or I/O,
 * {@link #UNKNOWN} otherwise (allowlist first: unknown is reported, never assumed harmless).
 */
public enum ImportRating {
  /** On the allowlist: builds tensors, storages, dtypes or containers. */
  SAFE,
  /** Neither allowed nor known to be dangerous; loading it runs code nobody reviewed. */
  UNKNOWN,
  /** A known way to run commands, code, imports or I/O. */
  DANGEROUS
}
