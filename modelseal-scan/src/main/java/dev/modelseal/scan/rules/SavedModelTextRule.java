package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * TensorFlow SavedModels whose graph is stored as text ({@code saved_model.pbtxt}, which the loader
 * accepts in place of {@code saved_model.pb}; a published bypass of scanners that only read the
 * binary form). The text-format protobuf is tokenized (strings with every C escape decoded, so
 * {@code "\122eadFile"} is {@code ReadFile}) and every {@code op} string field, which only NodeDef
 * has, is rated like the binary graph's ops by {@link TensorFlowOps}. Rule ids are those of {@link
 * SavedModelRule}; {@code savedmodel.malformed} (medium) when the text cannot be tokenized or is
 * larger than {@link #MAX_BYTES}.
 *
 * <p>Claimed by content: text whose first field is {@code saved_model_schema_version} or {@code
 * meta_graphs}.
 */
public final class SavedModelTextRule implements FormatRule {
  /** The largest text graph read (256 MiB). */
  public static final int MAX_BYTES = 256 * 1024 * 1024;

  private static final int MAX_DEPTH = 512;

  @Override
  public String format() {
    return "savedmodel-text";
  }

  @Override
  public boolean claims(Content c) {
    int i = 0;
    int n = c.headLength();
    while (i < n) {
      int b = c.headByte(i);
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        i++;
      } else if (b == '#') {
        while (i < n && c.headByte(i) != '\n') {
          i++;
        }
      } else {
        return startsWith(c, i, "saved_model_schema_version") || startsWith(c, i, "meta_graphs");
      }
    }
    return false;
  }

  private static boolean startsWith(Content c, int at, String word) {
    if (at + word.length() > c.headLength()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (c.headByte(at + k) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    byte[] text = TextContent.read(c, ctx, MAX_BYTES, "savedmodel.malformed", "text graph");
    if (text == null) {
      return;
    }
    List<String[]> nodes;
    TextProto parsed = new TextProto(text);
    try {
      nodes = parsed.nodes();
    } catch (IllegalArgumentException e) {
      ctx.finding(
          c,
          "savedmodel.malformed",
          Severity.MEDIUM,
          "",
          "text graph unreadable: " + e.getMessage());
      return;
    }
    Set<String> functions = parsed.functionNames();
    for (String[] n : nodes) {
      String where = "node '" + n[0] + "'" + (n[2] == null ? "" : " in function '" + n[2] + "'");
      TensorFlowOps.report(c, ctx, "savedmodel", n[1], where, functions);
    }
  }

  /**
   * A minimal text-format protobuf reader: it knows no schema, only the syntax (fields as {@code
   * name: value} or {@code name {...}} / {@code name <...>}, lists in {@code [...]}, strings in
   * single or double quotes, comments from {@code #}). It returns, for every message with an {@code
   * op} string field, its {@code name}, its {@code op} and the name of the function it is in (the
   * innermost enclosing message with a {@code signature { name: ... }}), or null.
   */
  static final class TextProto {
    private final byte[] t;
    private final Set<String> functionNames = new HashSet<>();
    private int i;

    TextProto(byte[] text) {
      this.t = text;
    }

    /** One open message: its own name/op fields, and a function name when it is a FunctionDef. */
    private static final class Frame {
      String field;
      String name;
      String op;
      String signatureName;
    }

    List<String[]> nodes() {
      List<String[]> out = new ArrayList<>();
      List<Frame> in = new ArrayList<>();
      Deque<Frame> stack = new ArrayDeque<>();
      Frame top = new Frame();
      stack.push(top);
      while (true) {
        skipSpace();
        if (i >= t.length) {
          break;
        }
        int b = t[i] & 0xFF;
        if (b == '}' || b == '>') {
          i++;
          if (stack.size() == 1) {
            throw new IllegalArgumentException("unbalanced '" + (char) b + "' at byte " + (i - 1));
          }
          Frame done = stack.pop();
          if (done.op != null) {
            out.add(new String[] {done.name == null ? "" : done.name, done.op, null});
            in.add(function(stack));
          }
          if ("signature".equals(done.field) && done.name != null) {
            stack.peek().signatureName = done.name;
            functionNames.add(done.name);
          }
          continue;
        }
        if (b == ',' || b == ';') {
          i++;
          continue;
        }
        String field = identifier();
        skipSpace();
        if (i < t.length && t[i] == ':') {
          i++;
          skipSpace();
        }
        if (i >= t.length) {
          throw new IllegalArgumentException("field '" + field + "' has no value");
        }
        int v = t[i] & 0xFF;
        if (v == '{' || v == '<') {
          i++;
          if (stack.size() > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " messages");
          }
          Frame f = new Frame();
          f.field = field;
          stack.push(f);
        } else if (v == '[') {
          i++;
          listValues(field, stack.peek(), stack);
        } else {
          scalar(field, stack.peek());
        }
      }
      if (stack.size() != 1) {
        throw new IllegalArgumentException("truncated: " + (stack.size() - 1) + " open messages");
      }
      // A function's signature may come after its nodes: name them once everything is read.
      for (int k = 0; k < out.size(); k++) {
        Frame f = in.get(k);
        out.get(k)[2] = f == null ? null : f.signatureName;
      }
      return out;
    }

    /** The names of the graph's own functions (FunctionDef signatures), after {@link #nodes}. */
    Set<String> functionNames() {
      return functionNames;
    }

    /** The innermost enclosing FunctionDef, or null. */
    private static Frame function(Deque<Frame> stack) {
      for (Frame f : stack) {
        if ("function".equals(f.field)) {
          return f;
        }
      }
      return null;
    }

    private void listValues(String field, Frame owner, Deque<Frame> stack) {
      while (true) {
        skipSpace();
        if (i >= t.length) {
          throw new IllegalArgumentException("unterminated list '" + field + "'");
        }
        int b = t[i] & 0xFF;
        if (b == ']') {
          i++;
          return;
        }
        if (b == ',') {
          i++;
          continue;
        }
        if (b == '{' || b == '<') {
          throw new IllegalArgumentException(
              "lists of messages are not supported (field '" + field + "')");
        }
        scalar(field, owner);
      }
    }

    private void scalar(String field, Frame owner) {
      int b = t[i] & 0xFF;
      String value;
      boolean isString = b == '"' || b == '\'';
      if (isString) {
        StringBuilder sb = new StringBuilder();
        // Adjacent string literals concatenate, as in the text format.
        while (i < t.length && (t[i] == '"' || t[i] == '\'')) {
          sb.append(string());
          skipSpace();
        }
        value = sb.toString();
      } else {
        int start = i;
        while (i < t.length && !isDelimiter(t[i] & 0xFF)) {
          i++;
        }
        if (start == i) {
          throw new IllegalArgumentException("unexpected '" + (char) b + "' at byte " + start);
        }
        value = new String(t, start, i - start, StandardCharsets.UTF_8);
      }
      if (isString && field.equals("op")) {
        owner.op = value;
      } else if (isString && field.equals("name")) {
        owner.name = value;
      }
    }

    private String string() {
      byte quote = t[i++];
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      while (true) {
        if (i >= t.length || t[i] == '\n') {
          throw new IllegalArgumentException("unterminated string");
        }
        byte b = t[i++];
        if (b == quote) {
          return new String(out.toByteArray(), StandardCharsets.UTF_8);
        }
        if (b != '\\') {
          out.write(b);
          continue;
        }
        if (i >= t.length) {
          throw new IllegalArgumentException("unterminated escape");
        }
        byte e = t[i++];
        switch (e) {
          case 'n' -> out.write('\n');
          case 't' -> out.write('\t');
          case 'r' -> out.write('\r');
          case 'a' -> out.write(7);
          case 'b' -> out.write('\b');
          case 'f' -> out.write('\f');
          case 'v' -> out.write(11);
          case '\\', '\'', '"', '?' -> out.write(e);
          case 'x', 'X' -> out.write(digits(16, 2, true));
          default -> {
            if (e >= '0' && e <= '7') {
              i--;
              out.write(digits(8, 3, false));
            } else {
              throw new IllegalArgumentException("unknown escape \\" + (char) e);
            }
          }
        }
      }
    }

    private int digits(int radix, int max, boolean atLeastOne) {
      int v = 0;
      int n = 0;
      while (n < max && i < t.length && Character.digit(t[i], radix) >= 0) {
        v = v * radix + Character.digit(t[i], radix);
        i++;
        n++;
      }
      if (n == 0 && atLeastOne) {
        throw new IllegalArgumentException("escape without digits");
      }
      return v & 0xFF;
    }

    private String identifier() {
      int start = i;
      if (i < t.length && t[i] == '[') {
        // An extension or Any type URL: [type.googleapis.com/...]
        while (i < t.length && t[i] != ']') {
          i++;
        }
        i++;
      } else {
        while (i < t.length
            && (Character.isLetterOrDigit(t[i]) || t[i] == '_' || t[i] == '.' || t[i] == '/')) {
          i++;
        }
      }
      if (start == i || i > t.length) {
        throw new IllegalArgumentException(
            "expected a field name at byte "
                + start
                + " (found '"
                + (char) (t[start] & 0xFF)
                + "')");
      }
      return new String(t, start, Math.min(i, t.length) - start, StandardCharsets.US_ASCII);
    }

    private static boolean isDelimiter(int b) {
      return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == ',' || b == ';' || b == '}'
          || b == '>' || b == ']' || b == '#' || b == '{' || b == '<';
    }

    private void skipSpace() {
      while (i < t.length) {
        int b = t[i] & 0xFF;
        if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
          i++;
        } else if (b == '#') {
          while (i < t.length && t[i] != '\n') {
            i++;
          }
        } else {
          return;
        }
      }
    }
  }
}
