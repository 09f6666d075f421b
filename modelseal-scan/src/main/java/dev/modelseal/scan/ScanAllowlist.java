package dev.modelseal.scan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.InvalidInputException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a team has reviewed and accepts, read from a JSON file ({@code modelseal-scan-allow/1},
 * documented in docs/scanning.md): pickle globals ({@code module.name}), TensorFlow, TF.js and
 * TFLite op names, Keras custom objects (a {@code registered_name} such as {@code my_pkg>MyLayer},
 * or a layer class name) and the SHA-256 digests of whole files. A finding about an allowed item is
 * moved to the report's {@linkplain ScanReport#suppressed() suppressed} list, never dropped
 * silently. A global the scanner rates dangerous is never suppressed by name (only a file digest
 * can accept it: the team reviewed that exact file). Parsing is strict: unknown keys, wrong types,
 * empty names and malformed digests are refused. Immutable.
 */
public final class ScanAllowlist {
  /** The format identifier the file must carry. */
  public static final String FORMAT = "modelseal-scan-allow/1";

  private static final int MAX_BYTES = 16 << 20;
  private static final Set<String> KEYS =
      Set.of("format", "comment", "globals", "ops", "customObjects", "files");
  private static final ScanAllowlist EMPTY =
      new ScanAllowlist(Set.of(), Set.of(), Set.of(), Set.of());

  private final Set<String> globals;
  private final Set<String> ops;
  private final Set<String> customObjects;
  private final Set<String> fileDigests;

  private ScanAllowlist(
      Set<String> globals, Set<String> ops, Set<String> customObjects, Set<String> fileDigests) {
    this.globals = Set.copyOf(globals);
    this.ops = Set.copyOf(ops);
    this.customObjects = Set.copyOf(customObjects);
    this.fileDigests = Set.copyOf(fileDigests);
  }

  /** An allowlist that allows nothing. */
  public static ScanAllowlist empty() {
    return EMPTY;
  }

  /**
   * Reads and checks {@code file}; a one-line {@link InvalidInputException} names what is wrong.
   */
  public static ScanAllowlist read(Path file) throws InvalidInputException {
    JsonNode root = BoundedJson.read(file, MAX_BYTES, "allowlist");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new InvalidInputException(
            file, "unknown allowlist key '" + k + "' (known: " + new TreeSet<>(KEYS) + ")");
      }
    }
    JsonNode format = root.get("format");
    if (format == null || !format.isTextual() || !format.asText().equals(FORMAT)) {
      throw new InvalidInputException(file, "allowlist 'format' must be \"" + FORMAT + "\"");
    }
    if (root.has("comment") && !root.get("comment").isTextual()) {
      throw new InvalidInputException(file, "allowlist 'comment' must be a string");
    }
    Set<String> digests = new TreeSet<>();
    for (String d : strings(file, root, "files")) {
      String hex = d.startsWith("sha256:") ? d.substring(7) : null;
      if (hex == null || hex.length() != 64 || !isLowerHex(hex)) {
        throw new InvalidInputException(
            file, "allowlist 'files' entry '" + d + "' is not sha256:<64 lowercase hex digits>");
      }
      digests.add(hex);
    }
    return new ScanAllowlist(
        strings(file, root, "globals"),
        strings(file, root, "ops"),
        strings(file, root, "customObjects"),
        digests);
  }

  private static Set<String> strings(Path file, JsonNode root, String key)
      throws InvalidInputException {
    Set<String> out = new TreeSet<>();
    JsonNode a = root.get(key);
    if (a == null) {
      return out;
    }
    if (!a.isArray()) {
      throw new InvalidInputException(file, "allowlist '" + key + "' must be an array");
    }
    for (JsonNode n : a) {
      if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 4096) {
        throw new InvalidInputException(
            file, "allowlist '" + key + "' entries must be non-empty strings");
      }
      out.add(n.asText());
    }
    return out;
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** True when nothing is allowed. */
  public boolean isEmpty() {
    return globals.isEmpty() && ops.isEmpty() && customObjects.isEmpty() && fileDigests.isEmpty();
  }

  /** True when the file digest list is not empty (files with findings are then hashed). */
  boolean hasFileDigests() {
    return !fileDigests.isEmpty();
  }

  /** True when the SHA-256 (lowercase hex) is allowed. */
  boolean allowsFile(String sha256Hex) {
    return fileDigests.contains(sha256Hex.toLowerCase(Locale.ROOT));
  }

  /**
   * Why {@code subject} (see {@link Subject}) is allowed, or null when it is not. A global rated
   * dangerous is never allowed by name.
   */
  String allows(Subject subject, ImportRating rating) {
    if (subject == null) {
      return null;
    }
    return switch (subject.kind()) {
      case GLOBAL ->
          rating != ImportRating.DANGEROUS && globals.contains(subject.name())
              ? "allowlist global " + subject.name()
              : null;
      case OP -> ops.contains(subject.name()) ? "allowlist op " + subject.name() : null;
      case CUSTOM_OBJECT ->
          customObjects.contains(subject.name())
              ? "allowlist custom object " + subject.name()
              : null;
    };
  }

  /** What a finding is about, for matching against an allowlist. */
  public record Subject(Kind kind, String name) {
    /** The kinds of named things an allowlist lists. */
    public enum Kind {
      /** A pickle global, {@code module.name}. */
      GLOBAL,
      /** A TensorFlow, TF.js or TFLite op name (or TFLite custom operator code). */
      OP,
      /** A Keras registered name or layer class. */
      CUSTOM_OBJECT
    }

    /** The subject of an op finding. */
    public static Subject op(String name) {
      return new Subject(Kind.OP, name);
    }

    /** The subject of a Keras custom-object finding. */
    public static Subject customObject(String name) {
      return new Subject(Kind.CUSTOM_OBJECT, name);
    }
  }
}
