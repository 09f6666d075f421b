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
import java.util.Map;

/**
 * GGUF files: each {@code tokenizer.chat_template*} is reported ({@code gguf.chat-template}, info),
 * and one that reaches Python objects or other files from inside the Jinja template (dunder names
 * and attributes, also built from escapes, {@code ~} concatenation or {@code set} variables; the
 * {@code attr} filter; the usual server-side template injection gadgets; {@code import} and {@code
 * include}: {@link JinjaTemplate}) is {@code gguf.template-injection} (high): a renderer without
 * Jinja's sandbox runs it. A file the GGUF reader refuses is {@code gguf.malformed} (medium).
 */
public final class GgufRule implements FormatRule {
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
          ChatTemplates.report(
              c, ctx, "gguf", "metadata '" + PickleScan.printable(e.getKey()) + "'", template);
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
}
