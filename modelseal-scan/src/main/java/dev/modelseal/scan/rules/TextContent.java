package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a whole content for the rules that parse text (JSON, text protobuf, TorchScript, Jinja),
 * never more than a limit: content over it is a medium finding of the rule, not read further.
 */
final class TextContent {
  private TextContent() {}

  /**
   * The bytes of {@code c}, or null after reporting {@code rule} (medium, "{@code what} larger than
   * {@code max} bytes; not inspected") when it holds more than {@code max} bytes.
   */
  static byte[] read(Content c, ScanContext ctx, int max, String rule, String what)
      throws IOException {
    byte[] bytes;
    try (InputStream in = c.open()) {
      bytes = in.readNBytes(max + 1);
    }
    if (bytes.length > max) {
      ctx.finding(
          c, rule, Severity.MEDIUM, "", what + " larger than " + max + " bytes; not inspected");
      return null;
    }
    return bytes;
  }

  /** {@code bytes} as strict UTF-8 (malformed input refused), or null. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
