package dev.modelseal.formats;

import java.nio.file.Path;

/**
 * The file is not one of the supported formats, or holds something that is not a weights tensor
 * with a canonical form: an object array (whose data is a pickle, never loaded), a structured or
 * string dtype, a format not implemented yet.
 */
public final class UnsupportedModelException extends FormatException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for {@code file}. */
  public UnsupportedModelException(Path file, String reason) {
    super(file, reason);
  }
}
