package dev.modelseal.scan.rules;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.gguf.GgufFile;
import dev.modelseal.formats.gguf.GgufReader;
import dev.modelseal.formats.gguf.GgufValue;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GGUF files: each {@code tokenizer.chat_template*} is reported ({@code gguf.chat-template}, info),
 * and one that reaches Python objects from inside the Jinja template ({@code __class__}, {@code
 * __globals__}, {@code __subclasses__}, {@code __builtins__}, {@code import}, other dunder
 * attributes, the {@code attr} filter, the usual server-side template injection gadgets) is {@code
 * gguf.template-injection} (high): a renderer without Jinja's sandbox runs it. A file the GGUF
 * reader refuses is {@code gguf.malformed} (medium).
 */
public final class GgufRule implements FormatRule {
  private static final List<String> PYTHON_REACH =
      List.of(
          "__class__",
          "__globals__",
          "__subclasses__",
          "__builtins__",
          "__mro__",
          "__base__",
          "__bases__",
          "__init__",
          "__import__",
          "__getattribute__",
          "__dict__",
          "__code__",
          "__func__",
          "__self__",
          "__module__",
          "__reduce__",
          "__loader__",
          "__spec__",
          "import ",
          "|attr",
          "| attr",
          "lipsum",
          "cycler",
          "joiner",
          "popen",
          "subprocess",
          "os.system",
          "eval(",
          "exec(",
          "getattr",
          "self._",
          "request.application",
          "config.items");

  @Override
  public String format() {
    return "gguf";
  }

  @Override
  public boolean claims(Content c) {
    return FormatSniff.is(Format.GGUF, c);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Path file = ctx.spill(c);
    try (GgufFile g = GgufReader.read(file, ReadLimits.defaults())) {
      for (Map.Entry<String, GgufValue> e : g.metadata().entrySet()) {
        if (!e.getKey().startsWith("tokenizer.chat_template")) {
          continue;
        }
        for (String template : strings(e.getValue())) {
          check(c, ctx, e.getKey(), template);
        }
      }
    } catch (ModelsealException e) {
      ctx.finding(
          c, "gguf.malformed", Severity.MEDIUM, "", "GGUF reader refuses it: " + e.reason());
    }
  }

  private static List<String> strings(GgufValue v) {
    List<String> out = new ArrayList<>();
    if (v.type() == GgufValue.Type.STRING) {
      out.add(v.asString());
    } else if (v.type() == GgufValue.Type.ARRAY && v.elementType() == GgufValue.Type.STRING) {
      for (GgufValue x : v.elements()) {
        out.add(x.asString());
      }
    }
    return out;
  }

  private static void check(Content c, ScanContext ctx, String key, String template) {
    String where = "metadata '" + PickleScan.printable(key) + "'";
    ctx.finding(
        c,
        "gguf.chat-template",
        Severity.INFO,
        where,
        "chat template of " + template.length() + " characters, rendered by the inference server");
    List<String> hits = reaches(template);
    if (!hits.isEmpty()) {
      ctx.finding(
          c,
          "gguf.template-injection",
          Severity.HIGH,
          where,
          "chat template reaches Python objects ("
              + String.join(", ", hits)
              + "); a renderer without Jinja's sandbox runs it");
    }
  }

  /** The constructs of {@code template} that reach Python objects, in list order. */
  static List<String> reaches(String template) {
    String t = template.toLowerCase(Locale.ROOT);
    List<String> hits = new ArrayList<>();
    for (String p : PYTHON_REACH) {
      if (t.contains(p)) {
        hits.add(p.trim());
      }
    }
    int i = t.indexOf("__");
    while (i >= 0 && hits.size() < 20) {
      int j = i + 2;
      while (j < t.length() && (Character.isLetterOrDigit(t.charAt(j)) || t.charAt(j) == '_')) {
        j++;
      }
      String word = t.substring(i, j);
      if (word.length() > 4 && word.endsWith("__") && !hits.contains(word)) {
        hits.add(word);
      }
      i = t.indexOf("__", Math.max(j, i + 2));
    }
    return hits;
  }
}
