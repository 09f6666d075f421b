package dev.modelseal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A file could not be read or written: missing, unreadable, or an operating-system error. The
 * message names the file and the reason in words, never a raw exception class name.
 */
public class ModelIoException extends ModelsealException {
  private static final long serialVersionUID = 1L;

  /** Creates an I/O failure for {@code file}. */
  public ModelIoException(Path file, String reason, Throwable cause) {
    super(file, reason, cause);
  }

  /** Wraps an {@link IOException} raised while working on {@code file}. */
  public static ModelIoException of(Path file, IOException e) {
    return new ModelIoException(file, describe(e), e);
  }

  /** Words for an {@link IOException}, without the file name the JDK puts in its messages. */
  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "I/O error (" + e.getClass().getSimpleName() + ")" : m;
  }
}
