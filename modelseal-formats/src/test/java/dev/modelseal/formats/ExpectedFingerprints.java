package dev.modelseal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.fingerprint.Fingerprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares fingerprints with the {@code expected*.json} files written beside the fixtures by the
 * independent Python implementation of the digests: per fixture, {@code weights}, {@code content}
 * and {@code tensors} (name to digest).
 */
public final class ExpectedFingerprints {
  private ExpectedFingerprints() {}

  /** What differs between {@code actual}, the fingerprint of {@code name}, and {@code expected}. */
  public static List<String> mismatches(String name, Fingerprint actual, JsonNode expected) {
    List<String> mismatches = new ArrayList<>();
    if (!actual.weights().toString().equals(expected.get("weights").textValue())) {
      mismatches.add(name + " weights");
    }
    if (!actual.content().toString().equals(expected.get("content").textValue())) {
      mismatches.add(name + " content");
    }
    Map<String, String> tensors = new LinkedHashMap<>();
    actual.tensors().forEach(t -> tensors.put(t.name(), t.digest().toString()));
    Map<String, String> want = new LinkedHashMap<>();
    expected
        .get("tensors")
        .properties()
        .forEach(t -> want.put(t.getKey(), t.getValue().textValue()));
    if (!tensors.equals(want)) {
      mismatches.add(name + " tensors " + tensors + " != " + want);
    }
    return mismatches;
  }
}
