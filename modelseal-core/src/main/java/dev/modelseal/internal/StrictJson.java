package dev.modelseal.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON reading for untrusted input: into a tree of plain nodes only (never into live objects),
 * duplicate keys rejected, nesting and string lengths bounded, trailing content rejected. Typed
 * getters throw {@link IllegalArgumentException} with a path to the offending field.
 */
public final class StrictJson {
  private static final int MAX_DEPTH = 64;
  private static final int MAX_STRING = 16 * 1024 * 1024;
  private static final int MAX_NUMBER = 64;

  /**
   * The parser factory behind {@link #parseObject}: duplicate keys rejected, non-numeric numbers
   * refused, nesting and lengths bounded. Reading needs nothing else of Jackson (building the full
   * object mapper costs a verification a tenth of a second of start-up).
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxStringLength(MAX_STRING)
                  .maxNumberLength(MAX_NUMBER)
                  .build())
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The mapper, for writing trees (and for readers that bind no classes); built on first use. */
  public static ObjectMapper mapper() {
    return MapperHolder.MAPPER;
  }

  /** Built from a copy of {@link #FACTORY}, so reading through it has the same limits. */
  private static final class MapperHolder {
    static final ObjectMapper MAPPER =
        JsonMapper.builder(FACTORY.copy())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
  }

  private StrictJson() {}

  /**
   * Parses {@code bytes} into a tree whose root must be an object.
   *
   * @throws IllegalArgumentException with a one-line reason when malformed
   */
  public static JsonNode parseObject(byte[] bytes) {
    JsonNode n = parseValue(bytes);
    if (!n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return n;
  }

  /**
   * Parses {@code bytes} into a tree whose root is any JSON value (an object or an array, say),
   * with the same limits as {@link #parseObject}.
   *
   * @throws IllegalArgumentException with a one-line reason when malformed or empty
   */
  public static JsonNode parseValue(byte[] bytes) {
    JsonNode n;
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken first = p.nextToken();
      n = first == null ? null : value(p, first);
      if (n != null && p.nextToken() != null) {
        throw new IllegalArgumentException(
            "not valid JSON: trailing content after the top-level value");
      }
    } catch (IOException e) {
      throw malformed(e);
    }
    if (n == null) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return n;
  }

  /**
   * A streaming parser over {@code in} with the same limits as {@link #parseObject} (duplicate keys
   * rejected, nesting and lengths bounded), for documents read piece by piece: a large array's
   * elements can each be read with {@link #tree} and dropped, so memory does not grow with the
   * document.
   */
  public static JsonParser parser(java.io.InputStream in) throws IOException {
    return FACTORY.createParser(in);
  }

  /** The value at the parser's current token, as a tree (for one small piece of a stream). */
  public static JsonNode tree(JsonParser p) throws IOException {
    return value(p, p.currentToken());
  }

  /** {@code e} as the one-line reason {@link #parseObject} gives for malformed JSON. */
  public static IllegalArgumentException malformed(IOException e) {
    if (e instanceof StreamConstraintsException) {
      return new IllegalArgumentException(limitReason(e.getMessage()), e);
    }
    String m = e.getMessage() == null ? "malformed JSON" : e.getMessage();
    int nl = m.indexOf('\n');
    return new IllegalArgumentException("not valid JSON: " + (nl > 0 ? m.substring(0, nl) : m), e);
  }

  /**
   * Words for a Jackson limit (its own message names Jackson's configuration methods, which mean
   * nothing to the person whose file was refused).
   */
  private static String limitReason(String m) {
    String s = m == null ? "" : m;
    if (s.contains("nesting depth")) {
      return "not valid JSON: nested deeper than " + MAX_DEPTH + " levels";
    }
    if (s.contains("String value length") || s.contains("Name length")) {
      return "not valid JSON: a string longer than " + MAX_STRING + " characters";
    }
    if (s.contains("Number value length")) {
      return "not valid JSON: a number longer than " + MAX_NUMBER + " digits";
    }
    return "not valid JSON: larger than the reader's limits";
  }

  /** The value starting at {@code t}; depth is bounded by the factory's nesting limit. */
  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      throw new JsonParseException(p, "unexpected end of input");
    }
    switch (t) {
      case START_OBJECT:
        ObjectNode o = NODES.objectNode();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        if (k != JsonToken.END_OBJECT) {
          throw new JsonParseException(p, "unexpected end of input in an object");
        }
        return o;
      case START_ARRAY:
        ArrayNode a = NODES.arrayNode();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          a.add(value(p, e));
        }
        return a;
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  /**
   * Refuses any field of object {@code node} not in {@code allowed}: a trust document has exactly
   * the fields its verifier reads, so that no edit of it can pass unnoticed.
   *
   * @throws IllegalArgumentException naming the first unknown field
   */
  public static void onlyFields(JsonNode node, java.util.Set<String> allowed, String where) {
    java.util.Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new IllegalArgumentException(where + " has an unknown field '" + n + "'");
      }
    }
  }

  /**
   * Decodes canonical base64: standard, or URL-safe when {@code urlSafe} allows and the text uses
   * its alphabet; padded or not; the unused bits of the last character zero. Any other text that
   * the JDK's lenient decoder would map to the same bytes is refused, so that each byte string has
   * one encoding.
   *
   * @throws IllegalArgumentException naming {@code where}
   */
  public static byte[] base64(String text, boolean urlSafe, String where) {
    boolean url = urlSafe && (text.indexOf('-') >= 0 || text.indexOf('_') >= 0);
    byte[] bytes;
    try {
      bytes = (url ? java.util.Base64.getUrlDecoder() : java.util.Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " is not valid base64");
    }
    String again =
        (url ? java.util.Base64.getUrlEncoder() : java.util.Base64.getEncoder())
            .encodeToString(bytes);
    String unpadded = again.replace("=", "");
    if (!text.equals(again) && !text.equals(unpadded)) {
      throw new IllegalArgumentException(where + " is not canonical base64");
    }
    return bytes;
  }

  /** The object field {@code name} of {@code node}. */
  public static JsonNode object(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException(where + "." + name + " must be an object");
    }
    return v;
  }

  /** The array field {@code name} of {@code node}. */
  public static JsonNode array(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException(where + "." + name + " must be an array");
    }
    return v;
  }

  /** The string field {@code name} of {@code node}. */
  public static String text(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + "." + name + " must be a string");
    }
    return v.textValue();
  }

  /** The boolean field {@code name}, or {@code dflt} when absent. */
  public static boolean bool(JsonNode node, String name, boolean dflt, String where) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(where + "." + name + " must be true or false");
    }
    return v.booleanValue();
  }

  /**
   * The non-negative integral field {@code name}; accepts {@code 1000000000.0} as Python writes it,
   * never a fraction.
   */
  public static long wholeNumber(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(where + "." + name + " must be a number");
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      long l = v.longValue();
      if (l >= 0) {
        return l;
      }
    } else if (v.isFloatingPointNumber()) {
      double d = v.doubleValue();
      if (d >= 0 && d <= 9.0e15 && d == Math.rint(d)) {
        return (long) d;
      }
    }
    throw new IllegalArgumentException(where + "." + name + " must be a whole number >= 0");
  }

  /** The array of strings {@code name}, or an empty list when absent or null. */
  public static List<String> texts(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(where + "." + name + " must be an array of strings");
    }
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException(where + "." + name + " must be an array of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }
}
