package dev.modelseal.oci;

import dev.modelseal.ModelIoException;

/**
 * A registry could not be read or written: HTTP errors after the retries, timeouts, a refused or
 * malformed manifest, a limit exceeded. The check could not be carried out (exit code 2); the
 * message starts with the reference or blob concerned and gives the reason in one line.
 */
public final class OciTransferException extends ModelIoException {
  private static final long serialVersionUID = 1L;

  /** A failure concerning {@code where} (an {@code oci://} reference or blob). */
  public OciTransferException(String where, String reason, Throwable cause) {
    super(null, where + ": " + reason, cause);
  }
}
