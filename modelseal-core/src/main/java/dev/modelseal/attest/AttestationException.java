package dev.modelseal.attest;

import dev.modelseal.IntegrityException;
import java.nio.file.Path;

/**
 * A metric attestation was refused: malformed, signed by another key, about another model, or its
 * metrics miss a requirement. {@link #failure()} says which; the message says it in words.
 */
public final class AttestationException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /** Which check failed. */
  public enum Failure {
    /** Not a DSSE envelope of an in-toto statement of our predicate, or a field is malformed. */
    MALFORMED,
    /** The signature does not verify with the given key. */
    BAD_SIGNATURE,
    /** The model on disk is not the attested one. */
    MODEL_MISMATCH,
    /** The model's weights are not the attested ones. */
    WEIGHTS_MISMATCH,
    /** A required metric is missing or misses its threshold. */
    REQUIREMENT_NOT_MET;

    /**
     * True when the file is not a usable attestation ({@link #MALFORMED}): the check could not be
     * carried out, exit code 2 in the command-line tool. The other failures refuse the model.
     */
    public boolean unusableInput() {
      return this == MALFORMED;
    }
  }

  private final Failure failure;

  AttestationException(Path file, Failure failure, String reason) {
    super(file, reason);
    this.failure = failure;
  }

  /** Which check failed. */
  public Failure failure() {
    return failure;
  }
}
