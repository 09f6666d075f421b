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
 * never more than a limit: content over it is a medium finding of the rule, not read further. The
 * limit is the rule's, or {@link #heapCeiling()} when that is lower, so that the text and what a
 * rule builds of it (a JSON tree takes several times the text) fit the heap.
 */
final class TextContent {
  private TextContent() {}

  /** A 32nd of this JVM's maximum heap (2 MiB under {@code -Xmx64m}), at least 1 MiB. */
  static int heapCeiling() {
    return (int)
        Math.min(Integer.MAX_VALUE - 8L, Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 32));
  }

  /**
   * The bytes of {@code c}, or null after reporting {@code rule} (medium, "{@code what} larger than
   * {@code max} bytes; not inspected") when it holds more than {@code max} bytes.
   */
  static byte[] read(Content c, ScanContext ctx, int max, String rule, String what)
      throws IOException {
    boolean heap = heapCeiling() < max;
    max = Math.min(max, heapCeiling());
    byte[] bytes;
    try (InputStream in = c.open()) {
      bytes = in.readNBytes(max + 1);
    }
    if (bytes.length > max) {
      ctx.finding(
          c,
          rule,
          Severity.MEDIUM,
          "",
          what
              + " larger than "
              + max
              + " bytes"
              + (heap ? " (a 32nd of the heap; -Xmx raises it)" : "")
              + "; not inspected");
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
