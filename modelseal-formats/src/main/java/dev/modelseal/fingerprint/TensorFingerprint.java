package dev.modelseal.fingerprint;

import dev.modelseal.digest.Digest;
import dev.modelseal.formats.TensorInfo;
import java.util.Objects;

/** One tensor's description and its v1 tensor digest. Immutable. */
public final class TensorFingerprint {
  private final TensorInfo info;
  private final Digest digest;

  TensorFingerprint(TensorInfo info, Digest digest) {
    this.info = Objects.requireNonNull(info);
    this.digest = Objects.requireNonNull(digest);
  }

  /** The tensor's name, dtype and shape. */
  public TensorInfo info() {
    return info;
  }

  /** The name. */
  public String name() {
    return info.name();
  }

  /** The tensor digest ({@code sha256}). */
  public Digest digest() {
    return digest;
  }

  @Override
  public String toString() {
    return digest + "  " + info;
  }
}
