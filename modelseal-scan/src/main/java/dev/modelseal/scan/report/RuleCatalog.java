package dev.modelseal.scan.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** One-line descriptions of the built-in rule ids, for SARIF rule metadata and documentation. */
public final class RuleCatalog {
  private static final Map<String, String> RULES = new LinkedHashMap<>();

  static {
    RULES.put("pickle.dangerous-import", "A pickle imports a known way to run code or commands.");
    RULES.put("pickle.unknown-import", "A pickle imports a global outside the allowlist.");
    RULES.put("pickle.unnamed-import", "A pickle imports a global that cannot be named.");
    RULES.put("pickle.malformed", "A pickle breaks off; loaders run what comes before the break.");
    RULES.put("pickle.limit", "A pickle exceeds a scan limit and was not fully scanned.");
    RULES.put("pickle.stacked", "Several pickles follow one another.");
    RULES.put("npy.object-array", "A NumPy object array, stored as a pickle.");
    RULES.put("npy.malformed", "A .npy header cannot be read.");
    RULES.put("zip.malformed", "A zip archive cannot be read; its members were not scanned.");
    RULES.put("zip.duplicate-member", "A zip archive names a member twice.");
    RULES.put("container.unsupported", "An archive format the scanner does not open.");
    RULES.put("format.not-inspected", "A recognised model format no rule inspects.");
    RULES.put("safetensors.trailing-bytes", "Bytes after the safetensors buffer (polyglot).");
    RULES.put("safetensors.duplicate-key", "A safetensors header names a key twice.");
    RULES.put("safetensors.header-limit", "A safetensors header over the reference limit.");
    RULES.put("safetensors.malformed", "A safetensors header cannot be read.");
    RULES.put("gguf.chat-template", "A GGUF chat template, rendered by the inference server.");
    RULES.put("gguf.template-injection", "A GGUF chat template reaches Python objects.");
    RULES.put("gguf.malformed", "A GGUF file the reader refuses.");
    RULES.put("onnx.external-data-escape", "ONNX external data outside the model directory.");
    RULES.put("onnx.custom-domain", "An ONNX operator domain needing a native custom-op library.");
    RULES.put("onnx.malformed", "An ONNX model that cannot be walked.");
    RULES.put("scan.unknown-format", "Content of no format the scanner reads (fail closed).");
    RULES.put("scan.unreadable", "Content that cannot be read to its end.");
    RULES.put("scan.limit", "Content over a scan limit (decompression or nesting bomb).");
    RULES.put("scan.too-deep", "Content nested deeper than the scan limit.");
    RULES.put("scan.internal-error", "A rule failed on this content.");
  }

  private RuleCatalog() {}

  /** The description of {@code rule}, or a generic one for rules added by callers. */
  public static String describe(String rule) {
    return RULES.getOrDefault(rule, "Finding of rule " + rule + ".");
  }

  /** Every built-in rule id with its description, in documentation order. */
  public static Map<String, String> all() {
    return Map.copyOf(RULES);
  }
}
