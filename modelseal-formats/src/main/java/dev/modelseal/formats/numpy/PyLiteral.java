package dev.modelseal.formats.numpy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the Python literal subset of .npy headers: {@code {'descr': '<f4', 'fortran_order':
 * False, 'shape': (2, 3), }}. Strings without escapes, non-negative decimal integers (with the
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
    if (c == '\'' || c == '"') {
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

  private String string() {
    char q = s.charAt(i++);
    int start = i;
    while (i < s.length() && s.charAt(i) != q) {
      char c = s.charAt(i);
      if (c == '\\') {
        throw error("escape sequences in strings are not supported");
      }
      if (c == '\n') {
        throw error("line break in a string");
      }
      i++;
    }
    if (i >= s.length()) {
      throw error("unterminated string");
    }
    return s.substring(start, i++);
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
      if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
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
