package dev.modelseal;

import java.nio.file.Path;

/**
 * A file changed (size, modification time or identity) while it was being read. Its digest would
 * describe no version of the file that ever existed, so no digest is reported.
 */
public class ModelChangedException extends ModelsealException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception for the file that changed. */
  public ModelChangedException(Path file, String reason) {
    super(file, reason);
  }
}
