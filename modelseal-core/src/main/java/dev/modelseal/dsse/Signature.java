package dev.modelseal.dsse;

import java.util.Objects;
import java.util.Optional;

/**
 * One DSSE signature: the signature bytes (for ECDSA, the DER encoding) and the optional key id.
 * Immutable; bytes are copied in and out. The key id is informational only and never selects a key.
 */
public final class Signature {
  private final byte[] sig;
  private final String keyId;

  private Signature(byte[] sig, String keyId) {
    this.sig = sig;
    this.keyId = keyId;
  }

  /**
   * A signature.
   *
   * @param sig the signature bytes, not empty
   * @param keyId the key id, or null when absent
   */
  public static Signature of(byte[] sig, String keyId) {
    Objects.requireNonNull(sig, "sig");
    if (sig.length == 0) {
      throw new IllegalArgumentException("empty signature");
    }
    return new Signature(sig.clone(), keyId);
  }

  /** A copy of the signature bytes. */
  public byte[] sig() {
    return sig.clone();
  }

  /** The key id when one was given (absent, empty and null are all accepted on reading). */
  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }
}
