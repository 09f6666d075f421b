package dev.modelseal.scan;

import java.io.InputStream;

/**
 * Passes at most {@code max} bytes through and fails with {@link ScanLimitException} when the
 * underlying stream has more (a decompression bomb stops there instead of filling the disk or the
 * heap).
 */
public final class BoundedInputStream extends CountingInputStream {
  private final long max;
  private final String what;
  private long count;

  /** Wraps {@code in}; {@code what} names the stream in the limit message. */
  public BoundedInputStream(InputStream in, long max, String what) {
    super(in);
    this.max = max;
    this.what = what;
  }

  @Override
  void count(long n) throws ScanLimitException {
    count += n;
    if (count > max) {
      throw new ScanLimitException(what + " is larger than the scan limit of " + max + " bytes");
    }
  }
}
