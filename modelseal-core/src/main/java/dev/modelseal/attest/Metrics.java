package dev.modelseal.attest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.RegularFiles;
import dev.modelseal.internal.StrictJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named numeric evaluation metrics, e.g. {@code {"f1": 0.943, "accuracy": 0.951}}. Values are kept
 * as exact decimals (never rounded through a double), names are 1 to 64 characters of letters,
 * digits, {@code _ . -}. Immutable, sorted by name.
 */
public final class Metrics {
  /** The largest metrics file read. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** The most metrics one file may hold. */
  public static final int MAX_METRICS = 1000;

  private final Map<String, BigDecimal> values;

  /** No metrics (what a scan attestation records). */
  static Metrics empty() {
    return new Metrics(new TreeMap<>());
  }

  private Metrics(Map<String, BigDecimal> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** Metrics from a map. */
  public static Metrics of(Map<String, BigDecimal> values) {
    for (String name : values.keySet()) {
      String problem = checkName(name);
      if (problem != null) {
        throw new IllegalArgumentException("metric name '" + name + "': " + problem);
      }
    }
    return new Metrics(values);
  }

  /** Reads a flat JSON object of numbers. */
  public static Metrics read(Path file) throws ModelsealException {
    try {
      if (RegularFiles.requireRegular(file) > MAX_BYTES) {
        throw new InvalidInputException(file, "metrics file larger than " + MAX_BYTES + " bytes");
      }
      return parse(StrictJson.parseObject(Files.readAllBytes(file)), "metrics");
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file, "malformed metrics: " + e.getMessage());
    }
  }

  /**
   * Reads metrics from a JSON object.
   *
   * @throws IllegalArgumentException when a value is not a finite number or a name is invalid
   */
  static Metrics parse(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object of numbers");
    }
    if (node.size() == 0) {
      throw new IllegalArgumentException(where + " is empty");
    }
    if (node.size() > MAX_METRICS) {
      throw new IllegalArgumentException(where + " has more than " + MAX_METRICS + " metrics");
    }
    Map<String, BigDecimal> m = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String problem = checkName(e.getKey());
      if (problem != null) {
        throw new IllegalArgumentException(where + "." + e.getKey() + ": " + problem);
      }
      if (!e.getValue().isNumber()) {
        throw new IllegalArgumentException(where + "." + e.getKey() + " must be a number");
      }
      m.put(e.getKey(), e.getValue().decimalValue());
    }
    return new Metrics(m);
  }

  /** Null when {@code name} is a valid metric name, else the reason. */
  static String checkName(String name) {
    if (name.isEmpty() || name.length() > 64) {
      return "must be 1 to 64 characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      if (!ok) {
        return "only letters, digits, '_', '.' and '-' are allowed";
      }
    }
    return null;
  }

  /** The metrics by name. */
  public Map<String, BigDecimal> values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metrics m && m.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
