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
    this(
        limit,
        actual,
        file,
        what + " is " + Long.toUnsignedString(actual) + ", over the limit of " + limit);
  }

  private LimitExceededException(long limit, long actual, Path file, String reason) {
    super(file, reason);
    this.limit = limit;
    this.actual = actual;
  }

  /**
   * Creates the exception with its own one-line {@code reason}, which must name {@code actual} and
   * {@code limit} (a reason that needs more words than "X is N, over the limit of L").
   */
  public static LimitExceededException because(Path file, String reason, long actual, long limit) {
    return new LimitExceededException(limit, actual, file, reason);
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
