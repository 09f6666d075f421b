package dev.modelseal.digest;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable digest value: an algorithm name and its bytes, written {@code sha256:<hex>}.
 * Comparison is constant-time ({@link MessageDigest#isEqual}). Bytes are copied in and out.
 */
public final class Digest {
  private static final HexFormat HEX = HexFormat.of();

  private final String algorithm;
  private final byte[] bytes;

  private Digest(String algorithm, byte[] bytes) {
    this.algorithm = algorithm;
    this.bytes = bytes;
  }

  /** A digest of {@code algorithm} (an OMS name such as {@code sha256}) with these bytes. */
  public static Digest of(String algorithm, byte[] bytes) {
    Objects.requireNonNull(algorithm, "algorithm");
    return new Digest(algorithm.toLowerCase(Locale.ROOT), bytes.clone());
  }

  /** A SHA-256 digest. */
  public static Digest sha256(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + bytes.length);
    }
    return of("sha256", bytes);
  }

  /**
   * Parses {@code <algorithm>:<hex>}. The hex must have the algorithm's length when the algorithm
   * is one of {@link HashAlgorithm}.
   *
   * @throws IllegalArgumentException with a one-line reason when malformed
   */
  public static Digest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing digest");
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("digest must look like sha256:<64 hex digits>");
    }
    String alg = text.substring(0, colon).toLowerCase(Locale.ROOT);
    byte[] b = parseHex(text.substring(colon + 1));
    for (HashAlgorithm a : HashAlgorithm.values()) {
      if (a.omsName().equals(alg) && a.digestLength() != b.length) {
        throw new IllegalArgumentException(
            alg + " digest must have " + 2 * a.digestLength() + " hex digits, not " + 2 * b.length);
      }
    }
    return new Digest(alg, b);
  }

  /**
   * Decodes lowercase or uppercase hex.
   *
   * @throws IllegalArgumentException when not hex
   */
  public static byte[] parseHex(String hex) {
    if (hex.isEmpty() || hex.length() % 2 != 0) {
      throw new IllegalArgumentException("digest is not an even number of hex digits");
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new IllegalArgumentException("digest has a non-hex character");
      }
    }
    return HEX.parseHex(hex);
  }

  /** The algorithm name, lowercase. */
  public String algorithm() {
    return algorithm;
  }

  /** A copy of the digest bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The digest in lowercase hex. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** Constant-time comparison of algorithm and bytes. */
  public boolean matches(Digest other) {
    return other != null
        && algorithm.equals(other.algorithm)
        && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && matches(d);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + (bytes.length > 0 ? bytes[0] : 0);
  }

  /** {@code <algorithm>:<hex>}. */
  @Override
  public String toString() {
    return algorithm + ":" + hex();
  }
}
