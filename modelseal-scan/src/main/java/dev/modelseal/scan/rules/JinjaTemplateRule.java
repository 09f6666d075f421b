package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;

/**
 * Jinja template text such as a {@code chat_template.jinja} beside a tokenizer: UTF-8 text whose
 * first bytes hold a Jinja tag ({@code {%} or {@code {{}). Rule ids: {@code jinja.chat-template}
 * (info), {@code jinja.template-injection} (high), see {@link ChatTemplates}; {@code
 * jinja.malformed} (medium) for text that is not UTF-8 or is over {@link #MAX_BYTES}.
 */
public final class JinjaTemplateRule implements FormatRule {
  /** The largest template read (4 MiB). */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  @Override
  public String format() {
    return "jinja";
  }

  @Override
  public boolean claims(Content c) {
    boolean tag = false;
    for (int i = 0; i < c.headLength(); i++) {
      int b = c.headByte(i);
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b == 0x7F) {
        return false;
      }
      if (b == '{' && (c.headByte(i + 1) == '%' || c.headByte(i + 1) == '{')) {
        tag = true;
      }
    }
    return tag;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    byte[] bytes = TextContent.read(c, ctx, MAX_BYTES, "jinja.malformed", "template");
    if (bytes == null) {
      return;
    }
    String text = TextContent.utf8(bytes);
    if (text == null) {
      ctx.finding(c, "jinja.malformed", Severity.MEDIUM, "", "template is not UTF-8");
      return;
    }
    ChatTemplates.report(c, ctx, "jinja", "", text);
  }
}
