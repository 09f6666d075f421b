package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.util.List;

/**
 * Reports a chat template wherever it is stored (GGUF metadata, {@code tokenizer_config.json},
 * {@code chat_template.json}, {@code chat_template.jinja}): {@code PREFIX.chat-template} (info: the
 * inference server renders it) and, when {@link JinjaTemplate} finds constructs that reach Python
 * objects or other files, {@code PREFIX.template-injection} (high: a renderer without Jinja's
 * sandbox runs them).
 */
final class ChatTemplates {
  private ChatTemplates() {}

  static void report(Content c, ScanContext ctx, String prefix, String where, String template) {
    ctx.finding(
        c,
        prefix + ".chat-template",
        Severity.INFO,
        where,
        "chat template of " + template.length() + " characters, rendered by the inference server");
    List<String> hits = JinjaTemplate.reaches(template);
    if (!hits.isEmpty()) {
      ctx.finding(
          c,
          prefix + ".template-injection",
          Severity.HIGH,
          where,
          "chat template reaches Python objects or other files ("
              + String.join(", ", hits)
              + "); a renderer without Jinja's sandbox runs it");
    }
  }
}
