package dev.modelseal.timestamp;

import dev.modelseal.ModelsealException;

/**
 * A timestamp could not be obtained or does not verify. The message is one line; the verifier of
 * the signature wraps it into its own failure.
 */
public final class TimestampException extends ModelsealException {
  private static final long serialVersionUID = 1L;

  /** Which check failed. */
  public enum Kind {
    /** The token is malformed or its signature or imprint does not verify. */
    INVALID,
    /** The TSA does not chain to a trusted root, or may not stamp. */
    UNTRUSTED,
    /** The TSA could not be reached or refused the request. */
    UNAVAILABLE
  }

  private final Kind kind;

  TimestampException(Kind kind, String reason) {
    super(null, reason);
    this.kind = kind;
  }

  /** Which check failed. */
  public Kind kind() {
    return kind;
  }
}
