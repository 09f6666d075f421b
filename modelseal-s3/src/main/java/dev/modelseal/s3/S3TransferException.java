package dev.modelseal.s3;

import dev.modelseal.ModelIoException;

/**
 * An object could not be listed or downloaded after the allowed attempts, or the store answered
 * something a model cannot be (too large, too many objects, an unsafe key). The message starts with
 * the object's {@code s3://} location and gives the reason in one line.
 */
public final class S3TransferException extends ModelIoException {
  private static final long serialVersionUID = 1L;

  private final String object;

  /**
   * Creates the exception.
   *
   * @param object the {@code s3://bucket/key} location concerned
   * @param reason one line, without the location
   * @param cause the last underlying failure, or null
   */
  public S3TransferException(String object, String reason, Throwable cause) {
    super(null, object + ": " + reason, cause);
    this.object = object;
  }

  /** The {@code s3://bucket/key} location concerned. */
  public String object() {
    return object;
  }
}
