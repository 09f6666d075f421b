package dev.modelseal.formats;

import java.nio.file.Path;

/**
 * A size read from the file exceeds a limit of {@link ReadLimits}; raised before anything of that
 * size is allocated. The limit can be raised deliberately when the input is trusted to be large.
 */
public final class LimitExceededException extends FormatException {
  private static final long serialVersionUID = 1L;

  private final long limit;
  private final long actual;

  /** Creates the exception: {@code what} is {@code actual}, more than {@code limit}. */
  public LimitExceededException(Path file, String what, long actual, long limit) {
    super(file, what + " is " + Long.toUnsignedString(actual) + ", over the limit of " + limit);
    this.limit = limit;
    this.actual = actual;
  }

  /** The limit that was exceeded. */
  public long limit() {
    return limit;
  }

  /** The value read from the file (unsigned). */
  public long actual() {
    return actual;
  }

  /** Throws when {@code actual} (compared unsigned) is over {@code limit}. */
  public static void check(Path file, String what, long actual, long limit)
      throws LimitExceededException {
    if (Long.compareUnsigned(actual, limit) > 0) {
      throw new LimitExceededException(file, what, actual, limit);
    }
  }
}
