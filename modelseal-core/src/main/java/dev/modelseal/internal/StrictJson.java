package dev.modelseal.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON reading for untrusted input: into a tree of plain nodes only (never into live objects),
 * duplicate keys rejected, nesting and string lengths bounded, trailing content rejected. Typed
 * getters throw {@link IllegalArgumentException} with a path to the offending field.
 */
public final class StrictJson {
  /** The mapper; trees only. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(16 * 1024 * 1024)
                .maxNumberLength(64)
                .build());
  }

  private StrictJson() {}

  /**
   * Parses {@code bytes} into a tree whose root must be an object.
   *
   * @throws IllegalArgumentException with a one-line reason when malformed
   */
  public static JsonNode parseObject(byte[] bytes) {
    JsonNode n;
    try {
      n = MAPPER.readTree(bytes);
    } catch (IOException e) {
      String m = e.getMessage() == null ? "malformed JSON" : e.getMessage();
      int nl = m.indexOf('\n');
      throw new IllegalArgumentException("not valid JSON: " + (nl > 0 ? m.substring(0, nl) : m), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return n;
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
