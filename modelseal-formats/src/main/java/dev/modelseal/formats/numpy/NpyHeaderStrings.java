package dev.modelseal.formats.numpy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The string literals of a {@code .npy} header, decoded as numpy decodes them (the same parser as
 * the reader, {@code safe_eval} semantics: escapes, prefixes and implicit concatenation), for rules
 * that must know what dtype numpy would see ({@code '\x7cO'} is {@code '|O'}). It does not check
 * that the header is a valid array header.
 */
public final class NpyHeaderStrings {
  private NpyHeaderStrings() {}

  /**
   * Every string (keys and values, at any depth) of the header literal {@code text}, in order.
   *
   * @throws IllegalArgumentException when {@code text} is not a literal this parser reads
   */
  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    collect(PyLiteral.parse(text), out);
    return out;
  }

  private static void collect(Object v, List<String> out) {
    if (v instanceof String s) {
      out.add(s);
    } else if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        collect(e.getKey(), out);
        collect(e.getValue(), out);
      }
    } else if (v instanceof List<?> l) {
      for (Object o : l) {
        collect(o, out);
      }
    } else if (v instanceof PyLiteral.Tuple t) {
      collect(t.items(), out);
    }
  }
}
