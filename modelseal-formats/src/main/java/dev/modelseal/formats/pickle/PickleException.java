package dev.modelseal.formats.pickle;

/**
 * Why a {@link PickleDecoder} stopped before {@code STOP}: the bytes end ({@link Kind#TRUNCATED}),
 * an opcode CPython's unpickler would fail on ({@link Kind#MALFORMED}), a limit of {@link
 * PickleLimits} ({@link Kind#LIMIT}) or something the consumer cannot follow ({@link
 * Kind#UNSUPPORTED}). The message is one short line without the file name; {@link #offset()} is the
 * offset of the opcode where decoding stopped. Consumers translate it into their own reports.
 */
public final class PickleException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of stop. */
  public enum Kind {
    /** The stream ends inside the pickle. */
    TRUNCATED,
    /** An opcode the loader would fail on. */
    MALFORMED,
    /**
     * A limit was reached; {@link #limitName()}, {@link #actual()} and {@link #limit()} say which.
     */
    LIMIT,
    /** Well-formed, but beyond what the consumer reads (for example out-of-band buffers). */
    UNSUPPORTED
  }

  private final Kind kind;
  private final long offset;
  private final String limitName;
  private final long actual;
  private final long limit;

  private PickleException(
      Kind kind, String reason, long offset, String limitName, long actual, long limit) {
    super(reason);
    this.kind = kind;
    this.offset = offset;
    this.limitName = limitName;
    this.actual = actual;
    this.limit = limit;
  }

  /** An opcode the loader would fail on, at {@code offset}. */
  public static PickleException malformed(String reason, long offset) {
    return new PickleException(Kind.MALFORMED, reason, offset, "", 0, 0);
  }

  /** Something the consumer does not read, at {@code offset}. */
  public static PickleException unsupported(String reason, long offset) {
    return new PickleException(Kind.UNSUPPORTED, reason, offset, "", 0, 0);
  }

  static PickleException truncated(String reason, long offset) {
    return new PickleException(Kind.TRUNCATED, reason, offset, "", 0, 0);
  }

  /** {@code name} is {@code actual}, over {@code limit}. */
  public static PickleException limit(String name, long actual, long limit, long offset) {
    return new PickleException(
        Kind.LIMIT,
        name + " is " + Long.toUnsignedString(actual) + ", over the limit of " + limit,
        offset,
        name,
        actual,
        limit);
  }

  /** The kind of stop. */
  public Kind kind() {
    return kind;
  }

  /** The offset of the opcode where decoding stopped. */
  public long offset() {
    return offset;
  }

  /** For {@link Kind#LIMIT}: what was counted ({@code opcode count}, {@code memo size}...). */
  public String limitName() {
    return limitName;
  }

  /** For {@link Kind#LIMIT}: the count reached. */
  public long actual() {
    return actual;
  }

  /** For {@link Kind#LIMIT}: the limit. */
  public long limit() {
    return limit;
  }
}
