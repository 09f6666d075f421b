package dev.modelseal.s3;

import dev.modelseal.walk.ResourceNames;
import java.util.Objects;

/**
 * A parsed {@code s3://bucket/prefix} location. Parsing is strict and regex-free: the bucket
 * follows the S3 naming rules (3 to 63 characters, lower-case letters, digits, {@code .} and {@code
 * -}, starting and ending with a letter or digit); the prefix, when present, is a valid resource
 * name (no {@code .} or {@code ..} component, no empty component, no backslash, no control
 * character), optionally ending with {@code /}. Immutable.
 */
public final class S3Uri {
  /** The scheme prefix every location starts with. */
  public static final String SCHEME = "s3://";

  private final String bucket;
  private final String prefix;

  private S3Uri(String bucket, String prefix) {
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** True when {@code text} starts with {@code s3://} (whether or not it is valid). */
  public static boolean looksLikeS3(String text) {
    return text != null && text.startsWith(SCHEME);
  }

  /**
   * Parses {@code s3://bucket[/prefix[/]]}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static S3Uri parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.startsWith(SCHEME)) {
      throw new IllegalArgumentException("not an s3:// location: '" + text + "'");
    }
    String rest = text.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    String bad = checkBucket(bucket);
    if (bad != null) {
      throw new IllegalArgumentException("invalid bucket in '" + text + "': " + bad);
    }
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
      if (path.isEmpty()) {
        throw new IllegalArgumentException("invalid key prefix in '" + text + "': empty");
      }
    }
    if (!path.isEmpty()) {
      String why = ResourceNames.check(path);
      if (why != null) {
        throw new IllegalArgumentException("invalid key prefix in '" + text + "': " + why);
      }
    }
    return new S3Uri(bucket, path);
  }

  private static String checkBucket(String b) {
    if (b.length() < 3 || b.length() > 63) {
      return "a bucket name has 3 to 63 characters";
    }
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && c != '.' && c != '-') {
        return "only lower-case letters, digits, '.' and '-' are allowed";
      }
      if (!alnum && (i == 0 || i == b.length() - 1)) {
        return "must start and end with a letter or digit";
      }
    }
    return null;
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The key or key prefix, without a trailing {@code /}; empty for the whole bucket. */
  public String key() {
    return prefix;
  }

  /** The listing prefix: {@link #key()} followed by {@code /}, or empty for the whole bucket. */
  public String listingPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  /** The model's name: the last element of the prefix, or the bucket's name. */
  public String modelName() {
    if (prefix.isEmpty()) {
      return bucket;
    }
    int i = prefix.lastIndexOf('/');
    return i < 0 ? prefix : prefix.substring(i + 1);
  }

  /** The location of object {@code key} in the same bucket. */
  public static String objectUri(String bucket, String key) {
    return SCHEME + bucket + "/" + key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof S3Uri u && u.bucket.equals(bucket) && u.prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return bucket.hashCode() * 31 + prefix.hashCode();
  }

  @Override
  public String toString() {
    return prefix.isEmpty() ? SCHEME + bucket : SCHEME + bucket + "/" + prefix;
  }
}
