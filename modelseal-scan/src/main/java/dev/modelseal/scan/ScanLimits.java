package dev.modelseal.scan;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the work a scan does on hostile input. Immutable; built by {@link #builder()}, and each
 * {@code with...} returns a copy. Defaults: archives nested 4 deep, 65,536 members per archive, 1
 * GiB decompressed from any one stream that is read (a compressed pickle, a nested archive), 16 GiB
 * read from embedded content over the whole scan (archive members, decompressed streams, trailing
 * regions), 10 minutes per scan, 30 seconds of silence from a pipe or device before it is given up,
 * 100,000,000 pickle opcodes, and 1,000,000 entries on a pickle's stack and in its memo. A limit
 * that is reached is a finding (or, for a silent pipe, an error of the report), never a crash, a
 * hang and never a silent "clean".
 */
public final class ScanLimits {
  private static final ScanLimits DEFAULTS = new Builder().build();

  private final int depth;
  private final int members;
  private final long streamBytes;
  private final long totalBytes;
  private final Duration time;
  private final Duration streamWait;
  private final long pickleOps;
  private final int pickleEntries;

  private ScanLimits(Builder b) {
    this.depth = b.depth;
    this.members = b.members;
    this.streamBytes = b.streamBytes;
    this.totalBytes = b.totalBytes;
    this.time = b.time;
    this.streamWait = b.streamWait;
    this.pickleOps = b.pickleOps;
    this.pickleEntries = b.pickleEntries;
  }

  /** The default limits. */
  public static ScanLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.depth = depth;
    b.members = members;
    b.streamBytes = streamBytes;
    b.totalBytes = totalBytes;
    b.time = time;
    b.streamWait = streamWait;
    b.pickleOps = pickleOps;
    b.pickleEntries = pickleEntries;
    return b;
  }

  /** Sets limits one by one (each must be positive) and builds an immutable {@link ScanLimits}. */
  public static final class Builder {
    private int depth = 4;
    private int members = 65_536;
    private long streamBytes = 1L << 30;
    private long totalBytes = 16L << 30;
    private Duration time = Duration.ofMinutes(10);
    private Duration streamWait = Duration.ofSeconds(30);
    private long pickleOps = 100_000_000L;
    private int pickleEntries = 1_000_000;

    private Builder() {}

    /** Sets the nesting depth of archives. */
    public Builder depth(int v) {
      depth = positive(v);
      return this;
    }

    /** Sets the member count per archive. */
    public Builder members(int v) {
      members = positive(v);
      return this;
    }

    /** Sets the decompressed-stream limit. */
    public Builder streamBytes(long v) {
      streamBytes = positive(v);
      return this;
    }

    /** Sets the budget of embedded bytes per scan. */
    public Builder totalBytes(long v) {
      totalBytes = positive(v);
      return this;
    }

    /** Sets the time budget per scan. */
    public Builder time(Duration v) {
      time = positive(v);
      return this;
    }

    /** Sets the wait for a silent pipe or device. */
    public Builder streamWait(Duration v) {
      streamWait = positive(v);
      return this;
    }

    /** Sets the pickle opcode limit. */
    public Builder pickleOps(long v) {
      pickleOps = positive(v);
      return this;
    }

    /** Sets the pickle stack and memo limit. */
    public Builder pickleEntries(int v) {
      pickleEntries = positive(v);
      return this;
    }

    /** The limits. */
    public ScanLimits build() {
      return new ScanLimits(this);
    }
  }

  /** How deep archives may nest (a file in a zip in a zip is depth 2). */
  public int depth() {
    return depth;
  }

  /** Most members read from one archive. */
  public int members() {
    return members;
  }

  /** Most bytes decompressed from one stream or copied from one nested archive. */
  public long streamBytes() {
    return streamBytes;
  }

  /**
   * Most bytes read from embedded content (archive members, decompressed streams, trailing regions
   * and the copies of nested archives) over one whole scan: the budget that stops an archive whose
   * members re-read the same compressed data many times.
   */
  public long totalBytes() {
    return totalBytes;
  }

  /** How long one scan may take before the content still unscanned is reported, not scanned. */
  public Duration time() {
    return time;
  }

  /**
   * How long a pipe, socket or device given to the scanner may stay silent before it is given up.
   */
  public Duration streamWait() {
    return streamWait;
  }

  /** Most opcodes walked in one pickle stream. */
  public long pickleOps() {
    return pickleOps;
  }

  /** Most entries on a pickle's stack and in its memo. */
  public int pickleEntries() {
    return pickleEntries;
  }

  /** A copy with another nesting depth of archives. */
  public ScanLimits withDepth(int v) {
    return toBuilder().depth(v).build();
  }

  /** A copy with another member count per archive. */
  public ScanLimits withMembers(int v) {
    return toBuilder().members(v).build();
  }

  /** A copy with another decompressed-stream limit. */
  public ScanLimits withStreamBytes(long v) {
    return toBuilder().streamBytes(v).build();
  }

  /** A copy with another budget of embedded bytes per scan. */
  public ScanLimits withTotalBytes(long v) {
    return toBuilder().totalBytes(v).build();
  }

  /** A copy with another time budget per scan. */
  public ScanLimits withTime(Duration v) {
    return toBuilder().time(v).build();
  }

  /** A copy with another wait for a silent pipe or device. */
  public ScanLimits withStreamWait(Duration v) {
    return toBuilder().streamWait(v).build();
  }

  /** A copy with another pickle opcode limit. */
  public ScanLimits withPickleOps(long v) {
    return toBuilder().pickleOps(v).build();
  }

  /** A copy with another pickle stack and memo limit. */
  public ScanLimits withPickleEntries(int v) {
    return toBuilder().pickleEntries(v).build();
  }

  private static int positive(int n) {
    return (int) positive((long) n);
  }

  private static long positive(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("a scan limit must be positive");
    }
    return n;
  }

  private static Duration positive(Duration d) {
    if (Objects.requireNonNull(d, "duration").isNegative() || d.isZero()) {
      throw new IllegalArgumentException("a scan limit must be positive");
    }
    return d;
  }
}
