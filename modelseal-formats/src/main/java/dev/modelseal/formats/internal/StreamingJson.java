package dev.modelseal.formats.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.Quoted;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * JSON read from a file as a stream of tokens (a safetensors header, an index, a TF.js manifest),
 * so that memory grows with what a reader keeps, never with the document.
 *
 * <p>Guarantee: the parsers made here read strict UTF-8 (through {@link RegionInput}) and refuse
 * names over {@value #MAX_NAME} characters, strings read over {@value #MAX_STRING} characters,
 * nesting over 64 levels and numbers over 64 digits; a string that is skipped (not read) is never
 * held, whatever its length. Messages made of a parser's failure are one short line.
 */
public final class StreamingJson {
  /** Longest name (object key) read, in characters. */
  public static final int MAX_NAME = 65_536;

  /** Longest string value read, in characters; longer ones can only be skipped. */
  public static final int MAX_STRING = 65_536;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          // Canonicalization stays on: it selects Jackson's UTF-8 byte parser (whose token
          // locations are byte offsets, used to reread short values), and its symbol table is
          // bounded (cleared when full). Interning would pin every name.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxNameLength(MAX_NAME)
                  .maxStringLength(MAX_STRING)
                  .maxNumberLength(64)
                  .build())
          .build();

  private StreamingJson() {}

  /** A parser over {@code length} bytes of {@code channel} from {@code start}, strict UTF-8. */
  public static JsonParser parser(FileChannel channel, long start, long length) throws IOException {
    return FACTORY.createParser(RegionInput.utf8(channel, start, length));
  }

  /**
   * A string value met in a stream: its text when it was short enough to keep (else null), and the
   * length of its JSON text (to the next token, so a comma and white space may count).
   */
  public record Text(String value, long jsonBytes) {}

  /**
   * At a {@code VALUE_STRING} of a parser made by {@link #parser} over {@code channel} from {@code
   * start}: the string when its JSON text is at most {@code max} bytes (reread from the file), else
   * its length only, without holding it; either way the parser is moved to the next token, which
   * the caller takes from {@link JsonParser#currentToken()}.
   */
  public static Text shortString(JsonParser p, FileChannel channel, long start, int max)
      throws IOException {
    long begin = p.currentTokenLocation().getByteOffset();
    p.nextToken(); // skips the string without holding it
    long span = p.currentTokenLocation().getByteOffset() - begin;
    if (begin < 0 || span > max) {
      return new Text(null, span);
    }
    // The span runs to the next token: a comma and white space may follow the string.
    try (JsonParser q = FACTORY.createParser(RegionInput.of(channel, start + begin, span))) {
      if (q.nextToken() != JsonToken.VALUE_STRING) {
        throw new IOException("the string at byte " + begin + " changed while read");
      }
      return new Text(q.getText(), span);
    }
  }

  /**
   * The value at the parser's current token as a tree of at most {@code maxTokens} tokens (one
   * small piece of a stream: a weight entry, a list of paths), strings at most {@link #MAX_STRING}.
   *
   * @throws JsonParseException when the value has more tokens
   */
  public static JsonNode tree(JsonParser p, int maxTokens) throws IOException {
    int[] left = {maxTokens};
    return value(p, p.currentToken(), left, maxTokens);
  }

  private static JsonNode value(JsonParser p, JsonToken t, int[] left, int max) throws IOException {
    if (t == null) {
      throw new JsonParseException(p, "unexpected end of input");
    }
    if (--left[0] < 0) {
      throw new JsonParseException(p, "a value of more than " + max + " tokens");
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (o.has(name)) {
            throw new JsonParseException(p, "duplicate field " + Quoted.of(name));
          }
          o.set(name, value(p, p.nextToken(), left, max));
        }
        if (k != JsonToken.END_OBJECT) {
          throw new JsonParseException(p, "unexpected end of input in an object");
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          a.add(value(p, e, left, max));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> f.numberNode(p.getIntValue());
          case LONG -> f.numberNode(p.getLongValue());
          default -> f.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return f.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return f.booleanNode(false);
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  /** {@code e} in a few words: Jackson's limits named, its own text cut short, the offset. */
  public static String reason(IOException e) {
    if (e instanceof StreamConstraintsException) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      if (m.contains("Name length")) {
        return "a name is longer than " + Quoted.bytes(MAX_NAME) + " (the limit)";
      }
      if (m.contains("String value length")) {
        return "a string read is longer than " + MAX_STRING + " characters (the limit)";
      }
      if (m.contains("nesting depth")) {
        return "nested deeper than 64 levels";
      }
      if (m.contains("Number value length")) {
        return "a number longer than 64 digits";
      }
      return "beyond the reader's limits";
    }
    if (e instanceof RegionInput.MalformedUtf8Exception u) {
      return "not valid UTF-8 (at byte " + u.offset() + ")";
    }
    if (e.getCause() instanceof RegionInput.MalformedUtf8Exception u) {
      return "not valid UTF-8 (at byte " + u.offset() + ")";
    }
    String m =
        e instanceof JsonProcessingException j && j.getOriginalMessage() != null
            ? j.getOriginalMessage()
            : e.getMessage() == null ? "malformed" : e.getMessage();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < m.length() && b.length() < 120; i++) {
      char c = m.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (b.length() < m.length()) {
      b.append('…');
    }
    long at =
        e instanceof JsonProcessingException j && j.getLocation() != null
            ? j.getLocation().getByteOffset()
            : -1;
    return "not valid JSON: " + (at >= 0 ? b + " (at byte " + at + ")" : b.toString());
  }
}
