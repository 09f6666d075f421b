package dev.modelseal.scan;

import java.io.IOException;

/**
 * A {@link ScanLimits} bound was reached while reading a content (a decompression or nested-archive
 * size, for example). The scanner reports it as a finding; findings made before it are kept.
 */
public final class ScanLimitException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line reason. */
  public ScanLimitException(String reason) {
    super(reason);
  }
}
