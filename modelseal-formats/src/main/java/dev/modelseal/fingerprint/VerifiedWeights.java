package dev.modelseal.fingerprint;

import java.nio.file.Path;

/**
 * Proof that a model's weights matched a {@link WeightsPin} when they were read; only {@link
 * WeightsPin#verify} creates one (private constructor, held so by an ArchUnit rule); the digest it
 * matched was computed from the file by the reader, never given by the caller. Immutable. It
 * records what was verified (the path and the full fingerprint); it does not keep the file, which
 * may change afterwards.
 */
public final class VerifiedWeights {
  private final Path path;
  private final Fingerprint fingerprint;

  private VerifiedWeights(Path path, Fingerprint fingerprint) {
    this.path = path;
    this.fingerprint = fingerprint;
  }

  /** For {@link WeightsPin#verify}, once the fingerprint read matched the pin. */
  static VerifiedWeights matched(Path path, Fingerprint fingerprint) {
    return new VerifiedWeights(path, fingerprint);
  }

  /** The model that was verified. */
  public Path path() {
    return path;
  }

  /** Its fingerprint as read: weights and content digests, and each tensor's digest. */
  public Fingerprint fingerprint() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return "VerifiedWeights[" + path + ", " + fingerprint.weights() + "]";
  }
}
