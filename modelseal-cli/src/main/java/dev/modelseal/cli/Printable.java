package dev.modelseal.cli;

/**
 * Makes text from a model file safe to print on a terminal: control characters (C0, DEL, C1) and
 * Unicode bidirectional controls are written as {@code \}{@code uXXXX}, so a hostile tensor name
 * can neither start a new output line nor move the cursor or reorder what follows.
 */
final class Printable {
  private Printable() {}

  static String of(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bad =
          c < 0x20
              || (c >= 0x7F && c <= 0x9F)
              || (c >= 0x202A && c <= 0x202E)
              || (c >= 0x2066 && c <= 0x2069)
              || c == 0x200E
              || c == 0x200F
              || c == 0x061C;
      if (bad && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (bad) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }
}
