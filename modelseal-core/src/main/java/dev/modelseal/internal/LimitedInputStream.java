package dev.modelseal.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code max} bytes through and fails, with the exception its {@link Overflow}
 * makes, as soon as the underlying stream has more: a reader of untrusted input stops there however
 * the input's size was (mis)reported.
 */
public class LimitedInputStream extends FilterInputStream {
  /** Makes the exception thrown when the stream goes past its limit. */
  @FunctionalInterface
  public interface Overflow {
    /** The exception for a stream longer than {@code max} bytes. */
    IOException exceeded(long max);
  }

  private final long max;
  private final Overflow overflow;
  private long count;

  /** Wraps {@code in}, allowing {@code max} bytes. */
  public LimitedInputStream(InputStream in, long max, Overflow overflow) {
    super(in);
    this.max = max;
    this.overflow = overflow;
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

  private void count(long n) throws IOException {
    count += n;
    if (count > max) {
      throw overflow.exceeded(max);
    }
  }
}
