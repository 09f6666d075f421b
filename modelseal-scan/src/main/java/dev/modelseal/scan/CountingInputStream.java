package dev.modelseal.scan;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that calls {@link #before()} ahead of every read or skip and {@link #count(long)} with
 * the number of bytes each one passed through: the shape of the scan's byte limits and budgets.
 */
abstract class CountingInputStream extends FilterInputStream {
  CountingInputStream(InputStream in) {
    super(in);
  }

  /** Called before each read or skip; may fail with a limit. */
  void before() throws IOException {}

  /** Called with the bytes a read or skip passed through; may fail with a limit. */
  abstract void count(long n) throws IOException;

  @Override
  public int read() throws IOException {
    before();
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    before();
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    before();
    long k = super.skip(n);
    if (k > 0) {
      count(k);
    }
    return k;
  }
}
