package dev.modelseal.walk;

import java.util.Comparator;

/**
 * Rules for resource names (OMS v1.0): relative POSIX paths, {@code /} separated, no empty, {@code
 * .} or {@code ..} component, no leading or trailing {@code /}, no backslash, no NUL or other
 * control character. The same rules apply to names read from a manifest, lock file or signature, so
 * that no name can point outside the model root.
 */
public final class ResourceNames {
  /** Orders names by Unicode code point, as the OMS spec and the Go client do. */
  public static final Comparator<String> CODE_POINT_ORDER = ResourceNames::compareCodePoints;

  private ResourceNames() {}

  /**
   * Returns null when {@code name} is a valid resource name, or the reason it is not.
   *
   * @param name the candidate name
   * @return null if valid, else a short reason
   */
  public static String check(String name) {
    if (name == null || name.isEmpty()) {
      return "empty name";
    }
    if (name.startsWith("/")) {
      return "absolute path";
    }
    if (name.endsWith("/")) {
      return "trailing '/'";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        return "backslash in name";
      }
      if (c < 0x20 || c == 0x7f) {
        return "control character in name";
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < name.length()
                && Character.isLowSurrogate(name.charAt(i + 1));
        if (!paired) {
          return "name is not valid Unicode";
        }
        i++;
      }
      if (c == '\uFFFD') {
        return "name is not valid UTF-8";
      }
    }
    int start = 0;
    while (start <= name.length()) {
      int end = name.indexOf('/', start);
      if (end < 0) {
        end = name.length();
      }
      String part = name.substring(start, end);
      if (part.isEmpty()) {
        return "empty path component";
      }
      if (part.equals(".") || part.equals("..")) {
        return "'" + part + "' path component";
      }
      start = end + 1;
    }
    return null;
  }

  /** Compares two strings by Unicode code point (not by UTF-16 unit). */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
