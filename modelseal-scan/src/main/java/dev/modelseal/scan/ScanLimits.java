package dev.modelseal.scan;

/**
 * Bounds on the work a scan does on hostile input. Immutable; each {@code with...} returns a copy.
 * Defaults: archives nested 4 deep, 65,536 members per archive, 1 GiB decompressed from any one
 * stream that is read (a compressed pickle, a nested archive), 100,000,000 pickle opcodes, and
 * 1,000,000 entries on a pickle's stack and in its memo. A limit that is reached is a finding,
 * never a crash and never a silent "clean".
 */
public final class ScanLimits {
  private static final ScanLimits DEFAULTS =
      new ScanLimits(4, 65_536, 1L << 30, 100_000_000L, 1_000_000);

  private final int depth;
  private final int members;
  private final long streamBytes;
  private final long pickleOps;
  private final int pickleEntries;

  private ScanLimits(int depth, int members, long streamBytes, long pickleOps, int pickleEntries) {
    this.depth = depth;
    this.members = members;
    this.streamBytes = streamBytes;
    this.pickleOps = pickleOps;
    this.pickleEntries = pickleEntries;
  }

  /** The default limits. */
  public static ScanLimits defaults() {
    return DEFAULTS;
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

  /** Most opcodes walked in one pickle stream. */
  public long pickleOps() {
    return pickleOps;
  }

  /** Most entries on a pickle's stack and in its memo. */
  public int pickleEntries() {
    return pickleEntries;
  }

  /** A copy with another nesting depth. */
  public ScanLimits withDepth(int n) {
    return new ScanLimits(positive(n), members, streamBytes, pickleOps, pickleEntries);
  }

  /** A copy with another member count. */
  public ScanLimits withMembers(int n) {
    return new ScanLimits(depth, positive(n), streamBytes, pickleOps, pickleEntries);
  }

  /** A copy with another decompressed-stream limit. */
  public ScanLimits withStreamBytes(long n) {
    return new ScanLimits(depth, members, positive(n), pickleOps, pickleEntries);
  }

  /** A copy with another opcode limit. */
  public ScanLimits withPickleOps(long n) {
    return new ScanLimits(depth, members, streamBytes, positive(n), pickleEntries);
  }

  /** A copy with another stack and memo limit. */
  public ScanLimits withPickleEntries(int n) {
    return new ScanLimits(depth, members, streamBytes, pickleOps, (int) positive(n));
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
}
