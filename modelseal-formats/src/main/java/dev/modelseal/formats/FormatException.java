package dev.modelseal.formats;

import dev.modelseal.InvalidInputException;
import java.nio.file.Path;

/**
 * Root of the failures a tensor reader reports about a file's content: the file is malformed
 * ({@link MalformedModelException}), well-formed but not representable as weights ({@link
 * UnsupportedModelException}), or beyond a configured size limit ({@link LimitExceededException}).
 * I/O failures are {@link dev.modelseal.ModelIoException}, not this family.
 *
 * <p>The message is one line naming the file and the reason. The command-line tool maps it to exit
 * code 2.
 */
public class FormatException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** Creates a format failure for {@code file}. */
  public FormatException(Path file, String reason) {
    super(file, reason);
  }

  /** Creates a format failure for {@code file} with a cause. */
  public FormatException(Path file, String reason, Throwable cause) {
    super(file, reason, cause);
  }
}
