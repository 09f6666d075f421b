package dev.modelseal.manifest;

import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.walk.ResourceNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A model pin that binds file names: SHA-256 over the canonical encoding of a manifest's resource
 * list (each resource's name, size and digest, sorted by name) and of the serialization parameters
 * that decide that list (method, hash, shard size, ignore paths). Written {@code pin:v1:sha256:<64
 * hex digits>}; the exact encoding is in {@code docs/pins.md}.
 *
 * <p>Unlike the OMS root (SHA-256 over the per-file digests in name order, which two files renamed
 * in a way that keeps their order leave unchanged), a pin changes when any name, size, digest or
 * serialization parameter changes.
 *
 * <p>Guarantee: two manifests have the same pin only when they list the same names with the same
 * sizes and digests, under the same method, hash, shard size and ignore paths (up to SHA-256
 * collisions). Not covered: the model's own name (the directory it sits in), whether symbolic links
 * were followed, and who made the pin.
 */
public final class PinDigest {
  /** The prefix of every version-1 pin. */
  public static final String PREFIX = "pin:v1:sha256:";

  /** The first bytes of the hashed encoding (domain separation from every other digest). */
  static final byte[] TAG = "modelseal-pin-v1\0".getBytes(StandardCharsets.US_ASCII);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private PinDigest(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The pin of {@code manifest}.
   *
   * @throws IllegalArgumentException when a resource's size is unknown (a manifest read from a
   *     signature that did not record sizes)
   */
  public static PinDigest of(Manifest manifest) {
    Encoder e = new Encoder();
    e.raw(TAG);
    Serialization s = manifest.serialization();
    e.text(s.method().omsName());
    e.text(s.hash().omsName());
    e.u64(s.method() == Serialization.Method.SHARDS ? s.shardSize() : 0);
    TreeSet<String> ignore = new TreeSet<>(ResourceNames.CODE_POINT_ORDER);
    ignore.addAll(s.walk().recordedIgnorePaths());
    e.u64(ignore.size());
    ignore.forEach(e::text);
    List<ResourceDigest> sorted = new ArrayList<>(manifest.resources());
    sorted.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    e.u64(sorted.size());
    for (ResourceDigest r : sorted) {
      if (r.size() < 0) {
        throw new IllegalArgumentException("the size of '" + r.name() + "' is not known");
      }
      e.text(r.name());
      e.u64(r.size());
      e.bytes(r.digest().bytes());
    }
    return new PinDigest(e.finish());
  }

  /**
   * Parses {@code pin:v1:sha256:<64 hex digits>}.
   *
   * @throws IllegalArgumentException with a one-line reason when {@code text} is not a pin (an OMS
   *     root digest {@code sha256:...} is named as such)
   */
  public static PinDigest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing pin");
    }
    if (!text.startsWith(PREFIX)) {
      if (isOmsRoot(text)) {
        throw new IllegalArgumentException(
            "'" + text + "' is an OMS root digest, not a pin: it does not bind file names");
      }
      throw new IllegalArgumentException("a pin looks like " + PREFIX + "<64 hex digits>");
    }
    String hex = text.substring(PREFIX.length());
    if (hex.length() != 64) {
      throw new IllegalArgumentException("a pin has 64 hex digits after " + PREFIX);
    }
    return new PinDigest(Digest.parseHex(hex));
  }

  /** True when {@code text} starts like a pin (the rest may still be malformed). */
  public static boolean looksLikePin(String text) {
    return text != null && text.startsWith("pin:");
  }

  /** True when {@code text} is a well-formed OMS root digest, {@code sha256:<64 hex digits>}. */
  public static boolean isOmsRoot(String text) {
    try {
      Digest d = Digest.parse(text);
      return d.algorithm().equals(HashAlgorithm.SHA256.omsName());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Constant-time comparison. */
  public boolean matches(PinDigest other) {
    return other != null && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PinDigest p && MessageDigest.isEqual(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  /** {@code pin:v1:sha256:<hex>}. */
  @Override
  public String toString() {
    return PREFIX + HEX.formatHex(bytes);
  }

  /** Feeds the encoding into SHA-256 as it is produced: memory stays flat whatever the count. */
  private static final class Encoder {
    private final MessageDigest md = HashAlgorithm.sha256();
    private final ByteBuffer number = ByteBuffer.allocate(8);

    void raw(byte[] b) {
      md.update(b);
    }

    void u32(long v) {
      number.clear();
      number.putInt((int) v);
      md.update(number.array(), 0, 4);
    }

    void u64(long v) {
      number.clear();
      number.putLong(v);
      md.update(number.array(), 0, 8);
    }

    void bytes(byte[] b) {
      u32(b.length);
      md.update(b);
    }

    void text(String s) {
      bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] finish() {
      return md.digest();
    }
  }
}
