package dev.modelseal.oci;

import java.util.Locale;
import java.util.Optional;

/**
 * A model's location in a registry: {@code oci://REGISTRY/REPO:TAG} or {@code
 * oci://REGISTRY/REPO@sha256:DIGEST} (a tag defaults to {@code latest}). Parsed by hand, strictly:
 * the registry is a host name or address with an optional port, the repository lower-case path
 * components of {@code [a-z0-9._-]} separated by {@code /}, a tag {@code [A-Za-z0-9_.-]} of at most
 * 128 characters starting with a letter, digit or underscore, a digest {@code sha256:} and 64
 * lower-case hex digits. Immutable.
 */
public final class OciReference {
  /** The URI scheme. */
  public static final String SCHEME = "oci://";

  private final String registry;
  private final String repository;
  private final String tag;
  private final String digest;

  private OciReference(String registry, String repository, String tag, String digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /** True when {@code s} starts with {@code oci://} (case-insensitive). */
  public static boolean looksLikeOci(String s) {
    return s != null && s.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /**
   * Parses {@code oci://REGISTRY/REPO[:TAG|@sha256:HEX]}.
   *
   * @throws IllegalArgumentException with a one-line reason when malformed
   */
  public static OciReference parse(String uri) {
    if (!looksLikeOci(uri)) {
      throw new IllegalArgumentException(uri + ": not an oci:// reference");
    }
    if (uri.length() > 1024) {
      throw new IllegalArgumentException("oci:// reference longer than 1024 characters");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException(uri + ": expected oci://REGISTRY/REPOSITORY[:TAG]");
    }
    String registry = rest.substring(0, slash).toLowerCase(Locale.ROOT);
    checkRegistry(uri, registry);
    String path = rest.substring(slash + 1);
    String digest = null;
    String tag = null;
    int at = path.indexOf('@');
    if (at >= 0) {
      digest = path.substring(at + 1);
      path = path.substring(0, at);
      if (!isSha256Digest(digest)) {
        throw new IllegalArgumentException(uri + ": the digest must be sha256:<64 hex digits>");
      }
    } else {
      int colon = path.lastIndexOf(':');
      if (colon >= 0 && path.indexOf('/', colon) < 0) {
        tag = path.substring(colon + 1);
        path = path.substring(0, colon);
        checkTag(uri, tag);
      } else {
        tag = "latest";
      }
    }
    checkRepository(uri, path);
    return new OciReference(registry, path, tag, digest);
  }

  /** True for {@code sha256:} followed by 64 lower-case hex digits. */
  static boolean isSha256Digest(String d) {
    if (d == null || d.length() != 71 || !d.startsWith("sha256:")) {
      return false;
    }
    for (int i = 7; i < d.length(); i++) {
      char c = d.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static void checkRegistry(String uri, String r) {
    int colon = r.lastIndexOf(':');
    String host = colon >= 0 ? r.substring(0, colon) : r;
    if (colon >= 0) {
      String port = r.substring(colon + 1);
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException(uri + ": bad registry port");
      }
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException(uri + ": bad registry port");
      }
    }
    if (host.isEmpty() || host.length() > 253) {
      throw new IllegalArgumentException(uri + ": bad registry host");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
        throw new IllegalArgumentException(uri + ": bad registry host");
      }
    }
  }

  private static void checkTag(String uri, String t) {
    if (t.isEmpty() || t.length() > 128) {
      throw new IllegalArgumentException(uri + ": a tag has 1 to 128 characters");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || (i > 0 && (c == '.' || c == '-'));
      if (!ok) {
        throw new IllegalArgumentException(uri + ": bad tag '" + t + "'");
      }
    }
  }

  private static void checkRepository(String uri, String repo) {
    if (repo.isEmpty() || repo.length() > 255) {
      throw new IllegalArgumentException(uri + ": a repository has 1 to 255 characters");
    }
    for (String part : repo.split("/", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(uri + ": empty repository path component");
      }
      char first = part.charAt(0);
      char last = part.charAt(part.length() - 1);
      if (!isAlnum(first) || !isAlnum(last)) {
        throw new IllegalArgumentException(uri + ": bad repository '" + repo + "'");
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (!(isAlnum(c) || c == '.' || c == '_' || c == '-')) {
          throw new IllegalArgumentException(
              uri + ": bad repository '" + repo + "' (lower-case letters, digits, . _ -)");
        }
      }
    }
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** The registry host (and port). */
  public String registry() {
    return registry;
  }

  /** The repository path. */
  public String repository() {
    return repository;
  }

  /** The tag, empty when the reference names a digest. */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** The manifest digest, when the reference names one. */
  public Optional<String> digest() {
    return Optional.ofNullable(digest);
  }

  /** The tag or digest, as it goes into a manifest URL. */
  String reference() {
    return digest != null ? digest : tag;
  }

  /** The same repository at manifest digest {@code d}. */
  public OciReference atDigest(String d) {
    if (!isSha256Digest(d)) {
      throw new IllegalArgumentException("not a sha256 digest: " + d);
    }
    return new OciReference(registry, repository, null, d);
  }

  /** The same repository at tag {@code t}. */
  OciReference atTag(String t) {
    checkTag(toString(), t);
    return new OciReference(registry, repository, t, null);
  }

  /** The repository's last path component: the model's name. */
  public String modelName() {
    int i = repository.lastIndexOf('/');
    return i < 0 ? repository : repository.substring(i + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OciReference r && r.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return SCHEME + registry + "/" + repository + (digest != null ? "@" + digest : ":" + tag);
  }
}
