package dev.modelseal;

import java.nio.file.Path;

/**
 * The model's content is not the content that was pinned, locked or signed. This is the one failure
 * that means "the model was changed"; every other {@link ModelsealException} means the check could
 * not be carried out.
 */
public class IntegrityException extends ModelsealException {
  private static final long serialVersionUID = 1L;

  /** Creates an integrity failure for {@code file} (the model path). */
  public IntegrityException(Path file, String reason) {
    super(file, reason);
  }
}
