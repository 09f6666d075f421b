package dev.modelseal.formats.numpy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the Python literal subset of .npy headers: {@code {'descr': '<f4', 'fortran_order':
 * False, 'shape': (2, 3), }}. Strings as Python's tokenizer reads them for {@code ast.literal_eval}
 * (numpy's {@code safe_eval}): single or double quoted, {@code r}/{@code u}/{@code b} prefixes,
 * adjacent literals concatenated, and every escape decoded ({@code \x7c}, {@code \u007c}, {@code
 * \U0000007c}, {@code \N{VERTICAL LINE}}, octal, the single-character escapes, backslash-newline;
 * an unknown escape keeps its backslash, as Python does), non-negative decimal integers (with the
 * Python 2 {@code L} suffix), {@code True}, {@code False}, {@code None}, tuples, lists and dicts
 * with string keys (duplicates rejected). Nesting is bounded. Nothing is evaluated; anything else
 * is an {@link IllegalArgumentException} naming the offset.
 */
final class PyLiteral {
  /** A Python tuple. */
  record Tuple(List<Object> items) {}

  /** Python's None. */
  static final Object NONE = new Object();

  private static final int MAX_DEPTH = 16;

  private final String s;
  private int i;
  private boolean lastHadComma;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** Parses {@code s}: one literal, then only whitespace. */
  static Object parse(String s) {
    PyLiteral p = new PyLiteral(s);
    Object v = p.value(0);
    p.ws();
    if (p.i != s.length()) {
      throw p.error("unexpected text after the literal");
    }
    return v;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at offset " + i + " of the header");
  }

  private void ws() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private boolean peek(char c) {
    ws();
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    i++;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("literal nested too deeply");
    }
    ws();
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    if (c == '\'' || c == '"' || stringPrefix() > 0) {
      return string();
    }
    if (c >= '0' && c <= '9') {
      return integer();
    }
    if (c == '{') {
      return dict(depth);
    }
    if (c == '(') {
      i++;
      List<Object> items = items(')', depth);
      boolean comma = lastHadComma;
      // Python: (x) is x itself; only a comma makes a tuple, () is the empty tuple.
      return items.size() == 1 && !comma ? items.get(0) : new Tuple(items);
    }
    if (c == '[') {
      i++;
      return items(']', depth);
    }
    if (s.startsWith("True", i)) {
      i += 4;
      return Boolean.TRUE;
    }
    if (s.startsWith("False", i)) {
      i += 5;
      return Boolean.FALSE;
    }
    if (s.startsWith("None", i)) {
      i += 4;
      return NONE;
    }
    throw error("unsupported literal starting with '" + c + "'");
  }

  /**
   * The length of a string prefix ({@code r}, {@code u}, {@code b}, {@code br}, {@code rb}) at i.
   */
  private int stringPrefix() {
    int n = 0;
    while (n < 2 && i + n < s.length() && "rRuUbB".indexOf(s.charAt(i + n)) >= 0) {
      n++;
    }
    if (n == 0 || i + n >= s.length() || (s.charAt(i + n) != '\'' && s.charAt(i + n) != '"')) {
      return 0;
    }
    String p = s.substring(i, i + n).toLowerCase(java.util.Locale.ROOT);
    return p.equals("r") || p.equals("u") || p.equals("b") || p.equals("br") || p.equals("rb")
        ? n
        : 0;
  }

  /** One string literal or several adjacent ones (Python concatenates them). */
  private String string() {
    StringBuilder out = new StringBuilder();
    do {
      oneString(out);
      ws();
    } while (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"' || stringPrefix() > 0));
    return out.toString();
  }

  private void oneString(StringBuilder out) {
    int n = stringPrefix();
    String prefix = s.substring(i, i + n).toLowerCase(java.util.Locale.ROOT);
    i += n;
    boolean raw = prefix.indexOf('r') >= 0;
    boolean bytes = prefix.indexOf('b') >= 0;
    char q = s.charAt(i++);
    if (s.startsWith("" + q + q, i)) {
      throw error("triple-quoted strings are not supported");
    }
    while (i < s.length() && s.charAt(i) != q) {
      char c = s.charAt(i);
      if (c == '\n') {
        throw error("line break in a string");
      }
      if (bytes && c > 0x7F) {
        throw error("non-ASCII character in a bytes literal");
      }
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= s.length()) {
        throw error("unterminated string");
      }
      char e = s.charAt(i + 1);
      if (raw) {
        out.append(c).append(e); // a raw string keeps the backslash (and the quote it escapes)
        i += 2;
        continue;
      }
      i += 2;
      switch (e) {
        case '\n' -> {} // line continuation
        case '\\', '\'', '"' -> out.append(e);
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case 'x' -> out.appendCodePoint(hex(2));
        case 'u' -> unicodeEscape(out, bytes, 4, e);
        case 'U' -> unicodeEscape(out, bytes, 8, e);
        case 'N' -> {
          if (bytes) {
            out.append('\\').append(e);
          } else {
            namedEscape(out);
          }
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0;
                k < 2 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
                k++) {
              v = v * 8 + (s.charAt(i++) - '0');
            }
            out.appendCodePoint(v);
          } else {
            out.append('\\').append(e); // Python keeps an unknown escape as written
          }
        }
      }
    }
    if (i >= s.length()) {
      throw error("unterminated string");
    }
    i++;
  }

  private void unicodeEscape(StringBuilder out, boolean bytes, int digits, char e) {
    if (bytes) {
      out.append('\\').append(e);
      return;
    }
    int cp = hex(digits);
    if (cp > Character.MAX_CODE_POINT) {
      throw error("escape beyond Unicode");
    }
    out.appendCodePoint(cp);
  }

  private void namedEscape(StringBuilder out) {
    if (i >= s.length() || s.charAt(i) != '{') {
      throw error("malformed \\N escape");
    }
    int close = s.indexOf('}', i);
    if (close < 0 || close - i > 128) {
      throw error("malformed \\N escape");
    }
    try {
      out.appendCodePoint(Character.codePointOf(s.substring(i + 1, close)));
    } catch (IllegalArgumentException e) {
      throw error("unknown character name in a \\N escape");
    }
    i = close + 1;
  }

  private int hex(int digits) {
    if (i + digits > s.length()) {
      throw error("truncated escape");
    }
    int v = 0;
    for (int k = 0; k < digits; k++) {
      int d = Character.digit(s.charAt(i + k), 16);
      if (d < 0) {
        throw error("malformed escape");
      }
      v = v * 16 + d;
      if (v > Character.MAX_CODE_POINT) {
        throw error("escape beyond Unicode");
      }
    }
    i += digits;
    return v;
  }

  private Long integer() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i - start > 18) {
      throw error("integer too large");
    }
    String digits = s.substring(start, i);
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw error("integer with a leading zero");
    }
    if (i < s.length() && s.charAt(i) == 'L') {
      i++;
    }
    return Long.parseLong(digits);
  }

  private List<Object> items(char close, int depth) {
    List<Object> out = new ArrayList<>();
    boolean comma = false;
    while (true) {
      if (peek(close)) {
        i++;
        lastHadComma = comma;
        return out;
      }
      out.add(value(depth + 1));
      if (peek(',')) {
        i++;
        comma = true;
      } else {
        expect(close);
        lastHadComma = comma;
        return out;
      }
    }
  }

  private Map<String, Object> dict(int depth) {
    i++;
    Map<String, Object> out = new LinkedHashMap<>();
    while (true) {
      if (peek('}')) {
        i++;
        return out;
      }
      ws();
      if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"' && stringPrefix() == 0)) {
        throw error("dict key is not a string");
      }
      String key = string();
      expect(':');
      Object v = value(depth + 1);
      if (out.put(key, v) != null) {
        throw error("duplicate key '" + key + "'");
      }
      if (peek(',')) {
        i++;
      } else {
        expect('}');
        return out;
      }
    }
  }
}
