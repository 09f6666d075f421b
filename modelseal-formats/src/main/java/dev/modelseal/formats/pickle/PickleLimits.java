package dev.modelseal.formats.pickle;

/**
 * Bounds on the work and memory one pickle may cost, checked before allocating. Immutable; each
 * {@code with...} returns a copy with one limit changed.
 */
public final class PickleLimits {
  private static final PickleLimits DEFAULTS =
      new PickleLimits(20_000_000L, 1_000_000, 2_000_000, 64 << 20, 256, 20_000_000L);

  private final long opcodes;
  private final int stack;
  private final int memo;
  private final int stringBytes;
  private final int depth;
  private final long nodes;

  private PickleLimits(long opcodes, int stack, int memo, int stringBytes, int depth, long nodes) {
    this.opcodes = opcodes;
    this.stack = stack;
    this.memo = memo;
    this.stringBytes = stringBytes;
    this.depth = depth;
    this.nodes = nodes;
  }

  /**
   * Defaults: 20M opcodes, 1M stack items, 2M memo entries, 64 MiB strings, depth 256, 20M values
   * visited by a walk.
   */
  public static PickleLimits defaults() {
    return DEFAULTS;
  }

  /** Most opcodes executed. */
  public long opcodes() {
    return opcodes;
  }

  /** Most items on the stack (all frames together) and marks. */
  public int stack() {
    return stack;
  }

  /** Most memo entries. */
  public int memo() {
    return memo;
  }

  /** Longest string, bytes value or integer encoding, in bytes. */
  public int stringBytes() {
    return stringBytes;
  }

  /** Deepest nesting a walker of the value tree follows (cycles end here too). */
  public int depth() {
    return depth;
  }

  /** Most nodes a walker of the value tree visits (shared subtrees count each time). */
  public long nodes() {
    return nodes;
  }

  /** Largest pickle read into memory: 256 MiB (a weights pickle is usually a few MB). */
  public long pickleBytes() {
    return Math.min(256L << 20, Integer.MAX_VALUE - 8L);
  }

  /** A copy with another opcode limit. */
  public PickleLimits withOpcodes(long n) {
    return new PickleLimits(positive(n), stack, memo, stringBytes, depth, nodes);
  }

  /** A copy with another stack limit. */
  public PickleLimits withStack(int n) {
    return new PickleLimits(opcodes, (int) positive(n), memo, stringBytes, depth, nodes);
  }

  /** A copy with another memo limit. */
  public PickleLimits withMemo(int n) {
    return new PickleLimits(opcodes, stack, (int) positive(n), stringBytes, depth, nodes);
  }

  /** A copy with another string limit. */
  public PickleLimits withStringBytes(int n) {
    return new PickleLimits(opcodes, stack, memo, (int) positive(n), depth, nodes);
  }

  /** A copy with another nesting limit. */
  public PickleLimits withDepth(int n) {
    return new PickleLimits(opcodes, stack, memo, stringBytes, (int) positive(n), nodes);
  }

  /** A copy with another walk limit. */
  public PickleLimits withNodes(long n) {
    return new PickleLimits(opcodes, stack, memo, stringBytes, depth, positive(n));
  }

  private static long positive(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("a limit must be positive");
    }
    return n;
  }
}
