package dev.modelseal.formats.flax;

import java.nio.charset.StandardCharsets;

/** Names and keys quoted in messages: escaped, and cut to a short prefix with their length. */
final class Quote {
  /** Characters of a name shown before it is cut. */
  static final int SHOWN = 48;

  private Quote() {}

  /** {@code 'name'}, or {@code 'prefix…' (N bytes)} for a long one; control characters escaped. */
  static String of(String name) {
    StringBuilder b = new StringBuilder("'");
    int n = 0;
    for (int i = 0; i < name.length() && n < SHOWN; i++, n++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\' || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (n < name.length()) {
      return b.append("…' (")
          .append(String.format("%,d", name.getBytes(StandardCharsets.UTF_8).length))
          .append(" bytes)")
          .toString();
    }
    return b.append('\'').toString();
  }
}
