package dev.modelseal.formats.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Text-to-value rules of CPython's unpickler for the decoder: integer lines and UTF-8 text. */
final class PickleScalars {
  /** As CPython's {@code sys.int_info.default_max_str_digits}. */
  static final int MAX_DECIMAL_DIGITS = 4300;

  private PickleScalars() {}

  /**
   * An {@code INT}, {@code LONG} or memo-index line as Python's {@code int(s, 0)} reads it
   * (surrounding whitespace, a sign, {@code 0x}/{@code 0o}/{@code 0b} prefixes, single underscores
   * between digits), and also decimals with leading zeros; {@link Long} when it fits, else {@link
   * BigInteger}.
   */
  static Object parseInt(byte[] b, int length, long offset, String opcode) throws PickleException {
    int i = 0;
    int n = length;
    while (i < n && space(b[i])) {
      i++;
    }
    while (n > i && space(b[n - 1])) {
      n--;
    }
    boolean negative = false;
    if (i < n && (b[i] == '-' || b[i] == '+')) {
      negative = b[i] == '-';
      i++;
    }
    int radix = 10;
    if (i + 1 < n && b[i] == '0') {
      int p = b[i + 1] | 0x20;
      radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
      if (radix != 10) {
        i += 2;
        if (i < n && b[i] == '_') {
          i++; // Python allows one underscore right after the prefix
        }
      }
    }
    StringBuilder digits = new StringBuilder(n - i);
    boolean lastDigit = false;
    for (int k = i; k < n; k++) {
      int c = b[k];
      if (c == '_' && lastDigit && k + 1 < n && b[k + 1] != '_') {
        lastDigit = false;
        continue;
      }
      if (Character.digit(c, radix) < 0 || c > 'z') {
        throw PickleException.malformed(opcode + " is not a decimal integer", offset);
      }
      digits.append((char) c);
      lastDigit = true;
    }
    if (digits.length() == 0 || !lastDigit) {
      throw PickleException.malformed(opcode + " has no digits", offset);
    }
    if (radix == 10 && digits.length() > MAX_DECIMAL_DIGITS) {
      throw PickleException.malformed(
          opcode + " has more than " + MAX_DECIMAL_DIGITS + " digits", offset);
    }
    BigInteger v = new BigInteger(digits.toString(), radix);
    if (negative) {
      v = v.negate();
    }
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private static boolean space(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b;
  }

  /**
   * {@code b} decoded as CPython decodes pickle text ({@code utf-8} with {@code surrogatepass}:
   * encoded surrogates are kept as lone chars), or null when it is not valid UTF-8.
   */
  static String utf8SurrogatePass(byte[] b) {
    boolean ascii = true;
    for (byte x : b) {
      if (x < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, StandardCharsets.US_ASCII);
    }
    StringBuilder s = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        s.append((char) c);
        i++;
        continue;
      }
      int need;
      int min;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        min = c & 0x1F;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        min = c & 0x0F;
        if (c == 0xE0) {
          lo = 0xA0;
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        min = c & 0x07;
        if (c == 0xF0) {
          lo = 0x90;
        } else if (c == 0xF4) {
          hi = 0x8F;
        }
      } else {
        return null;
      }
      if (i + need >= b.length) {
        return null;
      }
      int cp = min;
      for (int k = 1; k <= need; k++) {
        int d = b[i + k] & 0xFF;
        int l = k == 1 ? lo : 0x80;
        int h = k == 1 ? hi : 0xBF;
        if (d < l || d > h) {
          return null;
        }
        cp = (cp << 6) | (d & 0x3F);
      }
      s.appendCodePoint(cp);
      i += need + 1;
    }
    return s.toString();
  }
}
