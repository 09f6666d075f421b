package dev.modelseal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Root of every failure modelseal reports: one checked family, so a caller that catches this type
 * has seen every way verification can fail.
 *
 * <p>The message is always a single line that names the file (when there is one) and the reason,
 * suitable for showing to a person as it is. Subclasses say which kind of failure it was; the
 * command-line tool maps {@link IntegrityException} to exit code 1 and every other subclass to exit
 * code 2.
 */
public class ModelsealException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String reason;

  /**
   * Creates an exception for {@code file} (may be null when no single file is concerned).
   *
   * @param file the file the failure concerns, or null
   * @param reason what went wrong, one line, without the file name
   * @param cause the underlying exception, or null
   */
  public ModelsealException(Path file, String reason, Throwable cause) {
    super(format(file, reason), cause);
    this.file = file;
    this.reason = oneLine(reason);
  }

  /** Creates an exception for {@code file} without a cause. */
  public ModelsealException(Path file, String reason) {
    this(file, reason, null);
  }

  /** The file the failure concerns, if one does. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The reason, without the file name. */
  public String reason() {
    return reason;
  }

  private static String format(Path file, String reason) {
    String r = oneLine(reason);
    return file == null ? r : file + ": " + r;
  }

  /** Collapses line breaks so that every message stays on one line. */
  static String oneLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c == '\n' || c == '\r' ? ' ' : c);
    }
    return b.toString();
  }
}
