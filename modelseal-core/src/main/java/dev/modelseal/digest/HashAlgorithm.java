package dev.modelseal.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The per-resource hash functions OMS v1.0 names in {@code serialization.hash_type}: {@code sha256}
 * (required; the JDK's implementation, which uses the CPU's SHA extensions) and {@code blake2b}
 * (optional; BLAKE2b-512, 64-byte digests, from Bouncy Castle).
 */
public enum HashAlgorithm {
  /** SHA-256, 32-byte digests. */
  SHA256("sha256", 32),
  /** BLAKE2b with a 64-byte digest. */
  BLAKE2B("blake2b", 64);

  private final String omsName;
  private final int digestLength;

  HashAlgorithm(String omsName, int digestLength) {
    this.omsName = omsName;
    this.digestLength = digestLength;
  }

  /** The name OMS writes in {@code hash_type} and in each resource's {@code algorithm}. */
  public String omsName() {
    return omsName;
  }

  /** Length of a digest in bytes. */
  public int digestLength() {
    return digestLength;
  }

  /** A fresh hasher. */
  public Hasher newHasher() {
    return switch (this) {
      case SHA256 -> new JdkHasher(sha256());
      case BLAKE2B -> new Blake2bHasher();
    };
  }

  /** Hashes a whole byte array at once. */
  public byte[] hash(byte[] data) {
    Hasher h = newHasher();
    h.update(data, 0, data.length);
    return h.finish();
  }

  /**
   * Parses an OMS algorithm name ({@code sha256}, {@code blake2b}), case-insensitively.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static HashAlgorithm fromOmsName(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    for (HashAlgorithm a : values()) {
      if (a.omsName.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unsupported hash algorithm "
            + dev.modelseal.internal.StrictJson.quoted(String.valueOf(name)));
  }

  /** A new JDK SHA-256 instance (always present in every JDK). */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static final class JdkHasher implements Hasher {
    private final MessageDigest md;

    JdkHasher(MessageDigest md) {
      this.md = md;
    }

    @Override
    public void update(byte[] buf, int off, int len) {
      md.update(buf, off, len);
    }

    @Override
    public byte[] finish() {
      return md.digest();
    }
  }

  private static final class Blake2bHasher implements Hasher {
    private final Blake2bDigest d = new Blake2bDigest(512);

    @Override
    public void update(byte[] buf, int off, int len) {
      d.update(buf, off, len);
    }

    @Override
    public byte[] finish() {
      byte[] out = new byte[d.getDigestSize()];
      d.doFinal(out, 0);
      return out;
    }
  }
}
