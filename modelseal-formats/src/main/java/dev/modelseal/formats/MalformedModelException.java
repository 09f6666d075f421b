package dev.modelseal.formats;

import java.nio.file.Path;

/**
 * The file breaks a rule of its format as the reference reader enforces it (bad magic, a truncated
 * header, overlapping tensors, duplicate keys, trailing bytes...). Nothing of such a file is
 * fingerprinted.
 */
public final class MalformedModelException extends FormatException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for {@code file}. */
  public MalformedModelException(Path file, String reason) {
    super(file, reason);
  }

  /** Creates the exception for {@code file} with a cause. */
  public MalformedModelException(Path file, String reason, Throwable cause) {
    super(file, reason, cause);
  }
}
