package dev.modelseal.timestamp;

import java.time.Instant;

/**
 * A timestamp that {@link TimestampVerifier} verified: a TSA chaining to a trusted root, allowed to
 * stamp (extended key usage timeStamping), signed the token, and the token's imprint is the hash of
 * the signature it was checked against. Only the verifier constructs it.
 */
public final class VerifiedTimestamp {
  private final Instant time;
  private final String authority;

  private VerifiedTimestamp(Instant time, String authority) {
    this.time = time;
    this.authority = authority;
  }

  static VerifiedTimestamp afterVerification(Instant time, String authority) {
    return new VerifiedTimestamp(time, authority);
  }

  /** The token's generation time (its {@code genTime}). */
  public Instant time() {
    return time;
  }

  /** The TSA certificate's subject. */
  public String authority() {
    return authority;
  }

  @Override
  public String toString() {
    return time + " by " + authority;
  }
}
