package dev.modelseal;

import java.nio.charset.StandardCharsets;

/**
 * Quotes a name, key or value read from a file for an error message or a report: single-quoted,
 * escaped, and cut to a short prefix with its length when long ({@code 'AAAA…' (1,572,864 bytes)}).
 *
 * <p>Guarantee: the result is at most {@link #MAX_RESULT_CHARS} characters whatever the input; it
 * holds no control character (C0, DEL, C1), no line or paragraph separator, no Unicode format
 * character (bidirectional overrides, zero-width characters) and no unpaired surrogate: those, the
 * quote and the backslash are escaped ({@code \n}, {@code \x1b}, {@code \u202e}, {@code \'}, {@code
 * \\}). A cut input shows its first {@link #PREFIX_CODE_POINTS} code points, never half a code
 * point, followed by {@code …} and its length in UTF-8 bytes. Only the prefix is examined beyond
 * the length, so quoting a huge string costs little.
 */
public final class Quoted {
  /** Code points of the input shown before a cut. */
  public static final int PREFIX_CODE_POINTS = 40;

  /** The longest result: quotes, a prefix of fully escaped code points, the length note. */
  public static final int MAX_RESULT_CHARS = 2 + PREFIX_CODE_POINTS * 12 + 40;

  private Quoted() {}

  /** {@code s} quoted, escaped and cut; {@code "null"} for null. */
  public static String of(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), PREFIX_CODE_POINTS) + 16);
    b.append('\'');
    int i = 0;
    int shown = 0;
    while (i < s.length() && shown < PREFIX_CODE_POINTS) {
      int cp = s.codePointAt(i);
      boolean unpaired = Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1;
      append(b, cp, unpaired);
      i += Character.charCount(cp);
      shown++;
    }
    if (i < s.length()) {
      b.append("…' (").append(bytes(utf8Length(s))).append(')');
    } else {
      b.append('\'');
    }
    return b.toString();
  }

  /** UTF-8 (or arbitrary) bytes quoted like {@link #of(String)}; invalid bytes are {@code \xNN}. */
  public static String of(byte[] utf8) {
    if (utf8 == null) {
      return "null";
    }
    int cut = Math.min(utf8.length, PREFIX_CODE_POINTS * 4);
    String prefix = new String(utf8, 0, cut, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    b.append('\'');
    int shown = 0;
    int i = 0;
    while (i < prefix.length() && shown < PREFIX_CODE_POINTS) {
      int cp = prefix.codePointAt(i);
      append(b, cp, false);
      i += Character.charCount(cp);
      shown++;
    }
    if (utf8.length > cut || i < prefix.length()) {
      b.append("…' (").append(bytes(utf8.length)).append(')');
    } else {
      b.append('\'');
    }
    return b.toString();
  }

  /** {@code n} bytes with thousands separators: {@code 1,572,864 bytes}. */
  public static String bytes(long n) {
    return String.format(java.util.Locale.ROOT, "%,d bytes", n);
  }

  private static void append(StringBuilder b, int cp, boolean unpaired) {
    switch (cp) {
      case '\'' -> b.append("\\'");
      case '\\' -> b.append("\\\\");
      case '\n' -> b.append("\\n");
      case '\r' -> b.append("\\r");
      case '\t' -> b.append("\\t");
      default -> {
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
          b.append(String.format(java.util.Locale.ROOT, "\\x%02x", cp));
        } else if (unpaired
            || cp == 0x2028
            || cp == 0x2029
            || Character.getType(cp) == Character.FORMAT
            || Character.getType(cp) == Character.PRIVATE_USE
            || !Character.isDefined(cp)) {
          if (cp > 0xFFFF) {
            b.append(String.format(java.util.Locale.ROOT, "\\U%08x", cp));
          } else {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
          }
        } else {
          b.appendCodePoint(cp);
        }
      }
    }
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
