package dev.modelseal.scan.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the constructs of a Jinja template (a chat template) that reach Python objects or load
 * other files, with a small Jinja lexer rather than text matching: the template is split into text,
 * {@code {{ }}} expressions, {@code {% %}} statements and {@code {# #}} comments; inside tags
 * names, strings (Jinja's escapes decoded: {@code \x5f}, {@code \u005f}, {@code \N{LOW LINE}},
 * octal), numbers and operators are tokens. String constants are resolved before matching: adjacent
 * literals, {@code ~} and {@code +} concatenation, {@code [..]|join} of literals, and variables
 * assigned with {@code {% set %}} to such constants. Text outside tags is output only and is not
 * matched.
 *
 * <p>Reported: dunder names and attributes ({@code __class__}...), attributes starting with {@code
 * _}, the {@code attr} filter, names and attributes of the known template-injection gadgets ({@code
 * lipsum}, {@code cycler}, {@code joiner}, {@code self}, {@code request}, {@code config}, {@code
 * os}, {@code popen}, {@code subprocess}, {@code eval}, {@code exec}, {@code getattr}, {@code
 * import_module}), any resolved string constant that is one of those, and {@code import}, {@code
 * from}, {@code include} and {@code extends} statements (they read other templates). It does not
 * evaluate the template: a name built at render time from data is not resolved.
 */
final class JinjaTemplate {
  /** Most findings listed for one template. */
  static final int MAX_HITS = 20;

  private static final Set<String> GADGETS =
      Set.of(
          "lipsum",
          "cycler",
          "joiner",
          "self",
          "request",
          "config",
          "os",
          "popen",
          "subprocess",
          "eval",
          "exec",
          "getattr",
          "setattr",
          "import_module",
          "__import__",
          "mro",
          "func_globals",
          "f_globals",
          "gi_frame",
          "tb_frame");

  private static final Set<String> FILE_STATEMENTS = Set.of("import", "from", "include", "extends");

  private enum Type {
    NAME,
    STRING,
    NUMBER,
    OP
  }

  private record Token(Type type, String text) {}

  private final String t;
  private final Set<String> hits = new LinkedHashSet<>();
  private final Map<String, String> constants = new HashMap<>();

  private JinjaTemplate(String template) {
    this.t = template;
  }

  /** What {@code template} reaches, in order met, at most {@link #MAX_HITS}. */
  static List<String> reaches(String template) {
    JinjaTemplate j = new JinjaTemplate(template);
    j.run();
    return List.copyOf(j.hits);
  }

  private void run() {
    int i = 0;
    while (i < t.length() && hits.size() < MAX_HITS) {
      int open = t.indexOf('{', i);
      if (open < 0 || open + 1 >= t.length()) {
        return;
      }
      char kind = t.charAt(open + 1);
      if (kind != '{' && kind != '%' && kind != '#') {
        i = open + 1;
        continue;
      }
      String close = kind == '{' ? "}}" : kind + "}";
      int end = kind == '#' ? t.indexOf(close, open + 2) : tagEnd(open + 2, close);
      if (end < 0) {
        end = t.length(); // an unterminated tag is still read (a renderer would refuse it)
      }
      if (kind != '#') {
        tag(kind == '%', tokens(open + 2, end));
      }
      i = Math.min(t.length(), end + 2);
    }
  }

  /** The end of a tag: the first {@code close} outside a string literal. */
  private int tagEnd(int from, String close) {
    int i = from;
    while (i < t.length()) {
      char c = t.charAt(i);
      if (c == '\'' || c == '"') {
        i = skipString(i);
      } else if (t.startsWith(close, i)) {
        return i;
      } else {
        i++;
      }
    }
    return -1;
  }

  private int skipString(int i) {
    char q = t.charAt(i++);
    while (i < t.length() && t.charAt(i) != q) {
      i += t.charAt(i) == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  private List<Token> tokens(int from, int to) {
    List<Token> out = new ArrayList<>();
    int i = from;
    while (i < to) {
      char c = t.charAt(i);
      if (Character.isWhitespace(c) || (c == '-' || c == '+') && (i == from || i == to - 1)) {
        i++;
      } else if (c == '\'' || c == '"') {
        int end = Math.min(skipString(i), to);
        out.add(new Token(Type.STRING, unescape(t.substring(i + 1, Math.max(i + 1, end - 1)))));
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int b = i;
        while (i < to && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '_')) {
          i++;
        }
        out.add(new Token(Type.NAME, t.substring(b, i)));
      } else if (Character.isDigit(c)) {
        int b = i;
        while (i < to && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Type.NUMBER, t.substring(b, i)));
      } else {
        out.add(new Token(Type.OP, String.valueOf(c)));
        i++;
      }
    }
    return out;
  }

  /** Jinja decodes string literals with Python's unicode-escape codec. */
  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case '\n' -> {}
        case 'x', 'u', 'U' -> {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          int cp = hex(s, i + 1, n);
          if (cp < 0) {
            out.append('\\').append(e);
          } else {
            out.appendCodePoint(cp);
            i += n;
          }
        }
        case 'N' -> {
          int close = s.indexOf('}', i);
          if (i + 1 < s.length() && s.charAt(i + 1) == '{' && close > 0 && close - i < 130) {
            try {
              out.appendCodePoint(Character.codePointOf(s.substring(i + 2, close)));
              i = close;
            } catch (IllegalArgumentException ex) {
              out.append("\\N");
            }
          } else {
            out.append("\\N");
          }
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && i + 1 < s.length(); k++) {
              char d = s.charAt(i + 1);
              if (d < '0' || d > '7') {
                break;
              }
              v = v * 8 + (d - '0');
              i++;
            }
            out.append((char) v);
          } else {
            out.append(e == '\\' || e == '\'' || e == '"' ? "" + e : "\\" + e);
          }
        }
      }
    }
    return out.toString();
  }

  private static int hex(String s, int from, int n) {
    if (from + n > s.length()) {
      return -1;
    }
    int v = 0;
    for (int k = 0; k < n; k++) {
      int d = Character.digit(s.charAt(from + k), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
      if (v > Character.MAX_CODE_POINT) {
        return -1;
      }
    }
    return v;
  }

  private void tag(boolean statement, List<Token> tokens) {
    if (tokens.isEmpty()) {
      return;
    }
    if (statement && tokens.get(0).type() == Type.NAME) {
      String word = tokens.get(0).text();
      if (FILE_STATEMENTS.contains(word)) {
        hit(word + " statement");
      }
      if (word.equals("set") && tokens.size() >= 3 && tokens.get(1).type() == Type.NAME) {
        int eq = 2;
        if (tokens.get(eq).text().equals("=")) {
          String value = constant(tokens, eq + 1, tokens.size());
          if (value != null) {
            constants.put(tokens.get(1).text(), value);
          } else {
            constants.remove(tokens.get(1).text());
          }
        }
      }
    }
    for (int k = 0; k < tokens.size() && hits.size() < MAX_HITS; k++) {
      Token tok = tokens.get(k);
      boolean afterDot = k > 0 && tokens.get(k - 1).text().equals(".");
      boolean afterPipe = k > 0 && tokens.get(k - 1).text().equals("|");
      if (tok.type() == Type.NAME) {
        String n = tok.text();
        if (afterPipe && n.equals("attr")) {
          hit("|attr");
        } else if (dunder(n) || afterDot && n.startsWith("_")) {
          hit(n);
        } else if (GADGETS.contains(n)) {
          hit(n);
        }
      }
    }
    // Every resolved constant: literals, concatenations, and variables holding one.
    for (int k = 0; k < tokens.size() && hits.size() < MAX_HITS; k++) {
      int end = constantEnd(tokens, k);
      if (end > k) {
        String v = constant(tokens, k, end);
        if (v != null) {
          check(v);
        }
        k = end - 1;
      }
    }
  }

  private void check(String value) {
    String v = value.strip();
    if (dunder(v) || GADGETS.contains(v) || v.startsWith("_") && v.length() > 1) {
      hit("'" + PickleScan.printable(v) + "'");
    }
  }

  private static boolean dunder(String n) {
    return n.length() > 4 && n.startsWith("__") && n.endsWith("__");
  }

  private void hit(String what) {
    if (hits.size() < MAX_HITS) {
      hits.add(what);
    }
  }

  /**
   * Where a constant expression starting at {@code from} ends (exclusive); {@code from} if none.
   */
  private int constantEnd(List<Token> tokens, int from) {
    int k = from;
    boolean any = false;
    while (k < tokens.size()) {
      int next = operand(tokens, k);
      if (next == k) {
        break;
      }
      any = true;
      k = next;
      if (k < tokens.size()
          && (tokens.get(k).text().equals("~") || tokens.get(k).text().equals("+"))) {
        if (operand(tokens, k + 1) == k + 1) {
          break;
        }
        k++;
      } else if (k < tokens.size() && tokens.get(k).type() == Type.STRING) {
        continue; // adjacent literals
      } else {
        break;
      }
    }
    return any ? k : from;
  }

  /**
   * The end of one constant operand at {@code k}: a string literal, a {@code set} variable holding
   * a constant (not an attribute or call of it), or a list of literals joined with {@code |join}.
   */
  private int operand(List<Token> tokens, int k) {
    if (k >= tokens.size()) {
      return k;
    }
    Token tok = tokens.get(k);
    if (tok.type() == Type.STRING) {
      return k + 1;
    }
    if (tok.type() == Type.NAME
        && constants.containsKey(tok.text())
        && (k == 0 || !tokens.get(k - 1).text().equals("."))
        && (k + 1 >= tokens.size() || !tokens.get(k + 1).text().equals("."))) {
      return k + 1;
    }
    if (tok.text().equals("[")) {
      int j = k + 1;
      while (j < tokens.size() && tokens.get(j).type() == Type.STRING) {
        j++;
        if (j < tokens.size() && tokens.get(j).text().equals(",")) {
          j++;
        }
      }
      if (j + 2 < tokens.size()
          && tokens.get(j).text().equals("]")
          && tokens.get(j + 1).text().equals("|")
          && tokens.get(j + 2).text().equals("join")) {
        return j + 3;
      }
    }
    return k;
  }

  /** The value of the constant expression in {@code [from, to)}, or null when it is none. */
  private String constant(List<Token> tokens, int from, int to) {
    if (constantEnd(tokens, from) != to) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (int k = from; k < to; k++) {
      Token tok = tokens.get(k);
      if (tok.type() == Type.STRING) {
        out.append(tok.text());
      } else if (tok.type() == Type.NAME && constants.containsKey(tok.text())) {
        out.append(constants.get(tok.text()));
      } else if (tok.text().equals("[")) {
        int j = k + 1;
        while (!tokens.get(j).text().equals("]")) {
          if (tokens.get(j).type() == Type.STRING) {
            out.append(tokens.get(j).text());
          }
          j++;
        }
        k = j + 2; // ] | join
      }
    }
    return out.toString();
  }
}
