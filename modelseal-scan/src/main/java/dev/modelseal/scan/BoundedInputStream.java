package dev.modelseal.scan;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code max} bytes through and fails with {@link ScanLimitException} when the
 * underlying stream has more (a decompression bomb stops there instead of filling the disk or the
 * heap).
 */
public final class BoundedInputStream extends FilterInputStream {
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
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long k = super.skip(n);
    if (k > 0) {
      count(k);
    }
    return k;
  }

  private void count(long n) throws ScanLimitException {
    count += n;
    if (count > max) {
      throw new ScanLimitException(what + " is larger than the scan limit of " + max + " bytes");
    }
  }
}
