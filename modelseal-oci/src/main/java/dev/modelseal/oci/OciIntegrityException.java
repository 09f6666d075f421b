package dev.modelseal.oci;

import dev.modelseal.IntegrityException;

/**
 * What the registry served is not what its manifest (or the pinned reference) says: a blob whose
 * bytes do not hash to its descriptor's digest or size, a manifest whose bytes do not hash to the
 * digest asked for, or a model without a valid signature attached. The model is not the approved
 * one (exit code 1); the message names the blob or reference.
 */
public final class OciIntegrityException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /** A failure concerning {@code where}. */
  public OciIntegrityException(String where, String reason) {
    super(null, where + ": " + reason);
  }
}
