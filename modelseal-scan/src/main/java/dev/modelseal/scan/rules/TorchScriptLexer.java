package dev.modelseal.scan.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits TorchScript source (the Python subset {@code torch.jit.save} writes under {@code code/}
 * and {@code torch.jit.load} compiles) into tokens as Python's tokenizer does: names, numbers,
 * strings (prefixes, single, double and triple quotes, escapes), operators; comments, line
 * continuations and white space dropped. It does not parse statements. Malformed input (an
 * unterminated string) is an {@link IllegalArgumentException} naming the line.
 */
final class TorchScriptLexer {
  /** What a token is. */
  enum Type {
    NAME,
    NUMBER,
    STRING,
    OP
  }

  /** A token and the line it starts on (1-based). */
  record Token(Type type, String text, int line) {}

  private final String s;
  private int i;
  private int line = 1;

  private TorchScriptLexer(String s) {
    this.s = s;
  }

  /** The tokens of {@code source}. */
  static List<Token> tokens(String source) {
    return new TorchScriptLexer(source).run();
  }

  private List<Token> run() {
    List<Token> out = new ArrayList<>();
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        i++;
      } else if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '\n')) {
        i += 2;
        line++;
      } else if (c == '#') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (stringStart()) {
        int start = line;
        out.add(new Token(Type.STRING, string(), start));
      } else if (Character.isUnicodeIdentifierStart(c) || c == '_') {
        int b = i;
        while (i < s.length()
            && (Character.isUnicodeIdentifierPart(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Token(Type.NAME, s.substring(b, i), line));
      } else if (c >= '0' && c <= '9' || c == '.' && i + 1 < s.length() && isDigit(i + 1)) {
        int b = i;
        while (i < s.length()
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '.'
                || s.charAt(i) == '_'
                || (s.charAt(i) == '+' || s.charAt(i) == '-')
                    && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E'))) {
          i++;
        }
        out.add(new Token(Type.NUMBER, s.substring(b, i), line));
      } else {
        out.add(new Token(Type.OP, String.valueOf(c), line));
        i++;
      }
    }
    return out;
  }

  private boolean isDigit(int at) {
    char c = s.charAt(at);
    return c >= '0' && c <= '9';
  }

  /** A quote here, or a string prefix (r, b, u, f and their pairs) followed by a quote. */
  private boolean stringStart() {
    int n = 0;
    while (n < 2 && i + n < s.length() && "rRbBuUfF".indexOf(s.charAt(i + n)) >= 0) {
      n++;
    }
    if (i + n >= s.length()) {
      return false;
    }
    char q = s.charAt(i + n);
    return (q == '\'' || q == '"') && (n == 0 || !identifierBefore());
  }

  private boolean identifierBefore() {
    return i > 0 && (Character.isUnicodeIdentifierPart(s.charAt(i - 1)) || s.charAt(i - 1) == '_');
  }

  /** The decoded value of the string at i (escapes resolved, raw strings kept). */
  private String string() {
    boolean raw = false;
    while ("rRbBuUfF".indexOf(s.charAt(i)) >= 0) {
      raw |= s.charAt(i) == 'r' || s.charAt(i) == 'R';
      i++;
    }
    char q = s.charAt(i);
    boolean triple = s.startsWith("" + q + q + q, i);
    i += triple ? 3 : 1;
    StringBuilder out = new StringBuilder();
    int startLine = line;
    while (true) {
      if (i >= s.length()) {
        throw new IllegalArgumentException("unterminated string starting on line " + startLine);
      }
      char c = s.charAt(i);
      if (triple ? s.startsWith("" + q + q + q, i) : c == q) {
        i += triple ? 3 : 1;
        return out.toString();
      }
      if (c == '\n') {
        if (!triple) {
          throw new IllegalArgumentException("line break in a string on line " + line);
        }
        line++;
      }
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(i + 1);
        if (e == '\n') {
          line++;
        }
        if (raw) {
          out.append(c).append(e);
        } else {
          out.append(
              switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case '0' -> '\0';
                default -> e;
              });
        }
        i += 2;
        continue;
      }
      out.append(c);
      i++;
    }
  }
}
