package dev.modelseal.scan.pickle;

/**
 * How one pickle walk ended.
 *
 * @param end the kind of end
 * @param start offset of the pickle's first opcode
 * @param offset offset just after STOP, or of the opcode where the walk stopped
 * @param protocol the protocol from the PROTO opcode, or 0 when there was none
 * @param opcodes opcodes walked
 * @param reason why the walk stopped early (empty after STOP)
 */
public record PickleWalk(
    PickleWalk.End end, long start, long offset, int protocol, long opcodes, String reason) {
  /** The kinds of end. */
  public enum End {
    /** STOP was reached: the pickle is complete. */
    STOP,
    /** The stream ended inside the pickle. */
    TRUNCATED,
    /** An opcode the loader would fail on (unknown opcode, stack underflow, missing memo key). */
    MALFORMED,
    /** A scan limit was reached (opcode count, stack or memo size). */
    LIMIT
  }
}
