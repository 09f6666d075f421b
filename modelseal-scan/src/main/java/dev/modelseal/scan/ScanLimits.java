package dev.modelseal.scan;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the work a scan does on hostile input. Immutable; each {@code with...} returns a copy.
 * Defaults: archives nested 4 deep, 65,536 members per archive, 1 GiB decompressed from any one
 * stream that is read (a compressed pickle, a nested archive), 16 GiB read from embedded content
 * over the whole scan (archive members, decompressed streams, trailing regions), 10 minutes per
 * scan, 30 seconds of silence from a pipe or device before it is given up, 100,000,000 pickle
 * opcodes, and 1,000,000 entries on a pickle's stack and in its memo. A limit that is reached is a
 * finding (or, for a silent pipe, an error of the report), never a crash, a hang and never a silent
 * "clean".
 */
public final class ScanLimits {
  private static final ScanLimits DEFAULTS =
      new ScanLimits(
          4,
          65_536,
          1L << 30,
          16L << 30,
          Duration.ofMinutes(10),
          Duration.ofSeconds(30),
          100_000_000L,
          1_000_000);

  private final int depth;
  private final int members;
  private final long streamBytes;
  private final long totalBytes;
  private final Duration time;
  private final Duration streamWait;
  private final long pickleOps;
  private final int pickleEntries;

  private ScanLimits(
      int depth,
      int members,
      long streamBytes,
      long totalBytes,
      Duration time,
      Duration streamWait,
      long pickleOps,
      int pickleEntries) {
    this.depth = depth;
    this.members = members;
    this.streamBytes = streamBytes;
    this.totalBytes = totalBytes;
    this.time = time;
    this.streamWait = streamWait;
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

  /** A copy with another nesting depth. */
  public ScanLimits withDepth(int n) {
    return new ScanLimits(
        positive(n), members, streamBytes, totalBytes, time, streamWait, pickleOps, pickleEntries);
  }

  /** A copy with another member count. */
  public ScanLimits withMembers(int n) {
    return new ScanLimits(
        depth, positive(n), streamBytes, totalBytes, time, streamWait, pickleOps, pickleEntries);
  }

  /** A copy with another decompressed-stream limit. */
  public ScanLimits withStreamBytes(long n) {
    return new ScanLimits(
        depth, members, positive(n), totalBytes, time, streamWait, pickleOps, pickleEntries);
  }

  /** A copy with another budget of embedded bytes per scan. */
  public ScanLimits withTotalBytes(long n) {
    return new ScanLimits(
        depth, members, streamBytes, positive(n), time, streamWait, pickleOps, pickleEntries);
  }

  /** A copy with another time budget per scan. */
  public ScanLimits withTime(Duration d) {
    return new ScanLimits(
        depth, members, streamBytes, totalBytes, positive(d), streamWait, pickleOps, pickleEntries);
  }

  /** A copy with another wait for a silent pipe or device. */
  public ScanLimits withStreamWait(Duration d) {
    return new ScanLimits(
        depth, members, streamBytes, totalBytes, time, positive(d), pickleOps, pickleEntries);
  }

  /** A copy with another opcode limit. */
  public ScanLimits withPickleOps(long n) {
    return new ScanLimits(
        depth, members, streamBytes, totalBytes, time, streamWait, positive(n), pickleEntries);
  }

  /** A copy with another stack and memo limit. */
  public ScanLimits withPickleEntries(int n) {
    return new ScanLimits(
        depth, members, streamBytes, totalBytes, time, streamWait, pickleOps, positive(n));
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
