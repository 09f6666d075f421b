package dev.modelseal.formats.pickle;

/**
 * Bounds on the work and memory one pickle may cost, checked before allocating. Immutable; made by
 * {@link #defaults()} or a {@link Builder} that starts from the defaults.
 */
public final class PickleLimits {
  private static final PickleLimits DEFAULTS = new Builder().build();

  private final long opcodes;
  private final int stack;
  private final int memo;
  private final int stringBytes;
  private final int depth;
  private final long nodes;

  private PickleLimits(Builder b) {
    this.opcodes = b.opcodes;
    this.stack = b.stack;
    this.memo = b.memo;
    this.stringBytes = b.stringBytes;
    this.depth = b.depth;
    this.nodes = b.nodes;
  }

  /**
   * Defaults: 20M opcodes, 1M stack items, 2M memo entries, 64 MiB strings, depth 256, 20M values
   * visited by a walk.
   */
  public static PickleLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.opcodes = opcodes;
    b.stack = stack;
    b.memo = memo;
    b.stringBytes = stringBytes;
    b.depth = depth;
    b.nodes = nodes;
    return b;
  }

  /** Most opcodes executed (nested pickles included). */
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

  /** Longest string, bytes value, integer encoding or text line held, in bytes. */
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

  /** Sets limits one by one; every limit must be positive. Not thread-safe. */
  public static final class Builder {
    private long opcodes = 20_000_000L;
    private int stack = 1_000_000;
    private int memo = 2_000_000;
    private int stringBytes = 64 << 20;
    private int depth = 256;
    private long nodes = 20_000_000L;

    private Builder() {}

    /** Most opcodes executed. */
    public Builder opcodes(long n) {
      opcodes = positive(n);
      return this;
    }

    /** Most stack items and marks. */
    public Builder stack(int n) {
      stack = (int) positive(n);
      return this;
    }

    /** Most memo entries. */
    public Builder memo(int n) {
      memo = (int) positive(n);
      return this;
    }

    /** Longest string, bytes value or text line. */
    public Builder stringBytes(int n) {
      stringBytes = (int) positive(n);
      return this;
    }

    /** Deepest nesting of a tree walk. */
    public Builder depth(int n) {
      depth = (int) positive(n);
      return this;
    }

    /** Most nodes a tree walk visits. */
    public Builder nodes(long n) {
      nodes = positive(n);
      return this;
    }

    /** The limits. */
    public PickleLimits build() {
      return new PickleLimits(this);
    }

    private static long positive(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("a limit must be positive");
      }
      return n;
    }
  }
}
