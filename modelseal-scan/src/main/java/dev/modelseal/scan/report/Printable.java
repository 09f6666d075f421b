package dev.modelseal.scan.report;

/**
 * Makes names and messages from scanned files safe to print: a file or member name is chosen by
 * whoever wrote the model, and printed raw its newlines would forge report lines and its escape
 * sequences would rewrite the terminal. {@link #text} escapes C0 and C1 control characters, DEL,
 * the backslash itself, unpaired surrogates, U+FFFD (what an invalid UTF-8 byte in a file name
 * decodes to) and the bidirectional and line-separator controls that reorder or break a line, as
 * {@code \n}, {@code \e}, {@code \x7f}, {@code \u202e}. Everything else is kept as it is.
 */
public final class Printable {
  private Printable() {}

  /** {@code s} with every control character escaped, on one line. */
  public static String text(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      String esc = escape(s, i, ch);
      if (esc == null || esc.isEmpty()) {
        int n = esc == null ? 1 : 2; // a character kept, or a valid surrogate pair kept
        if (sb != null) {
          sb.append(s, i, i + n);
        }
        i += n - 1;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      sb.append(esc);
    }
    return sb == null ? s : sb.toString();
  }

  /**
   * {@code s} with unpaired surrogates replaced by U+FFFD: the form JSON writers encode as valid
   * UTF-8 (JSON escapes control characters itself).
   */
  public static String json(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean unpaired =
          (Character.isHighSurrogate(ch)
                  && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))))
              || (Character.isLowSurrogate(ch)
                  && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1))));
      if (unpaired && sb == null) {
        sb = new StringBuilder(s).delete(i, s.length());
      }
      if (sb != null) {
        sb.append(unpaired ? '\uFFFD' : ch);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** The escape for the char at {@code i}; "" for a valid surrogate pair; null to keep it. */
  private static String escape(String s, int i, char ch) {
    switch (ch) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case 0x1B:
        return "\\e";
      case '\\':
        return "\\\\";
      default:
        break;
    }
    if (ch < 0x20 || (ch >= 0x7F && ch <= 0x9F)) {
      return String.format("\\x%02x", (int) ch);
    }
    if (Character.isHighSurrogate(ch)) {
      if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        return "";
      }
      return unicode(ch);
    }
    if (Character.isLowSurrogate(ch)
        || ch == '\uFFFD'
        || ch == '\u061C'
        || ch == '\u200E'
        || ch == '\u200F'
        || ch == '\u2028'
        || ch == '\u2029'
        || (ch >= '\u202A' && ch <= '\u202E')
        || (ch >= '\u2066' && ch <= '\u2069')) {
      return unicode(ch);
    }
    return null;
  }

  private static String unicode(char ch) {
    return String.format("\\u%04x", (int) ch);
  }
}
