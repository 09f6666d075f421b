package dev.modelseal.scan;

import dev.modelseal.internal.LimitedInputStream;
import java.io.InputStream;

/**
 * Passes at most {@code max} bytes through and fails with {@link ScanLimitException} when the
 * underlying stream has more (a decompression bomb stops there instead of filling the disk or the
 * heap).
 */
public final class BoundedInputStream extends LimitedInputStream {
  /** Wraps {@code in}; {@code what} names the stream in the limit message. */
  public BoundedInputStream(InputStream in, long max, String what) {
    super(
        in,
        max,
        m -> new ScanLimitException(what + " is larger than the scan limit of " + m + " bytes"));
  }
}
