package dev.modelseal;

import java.nio.file.Path;

/**
 * Input that modelseal refuses to work with: a model tree that breaks a rule (a symbolic link where
 * none is allowed, a FIFO, an empty model), or a malformed lock file, pin or option.
 */
public class InvalidInputException extends ModelsealException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception for {@code file} (may be null). */
  public InvalidInputException(Path file, String reason) {
    super(file, reason);
  }

  /** Creates an exception for {@code file} (may be null) with a cause. */
  public InvalidInputException(Path file, String reason, Throwable cause) {
    super(file, reason, cause);
  }
}
