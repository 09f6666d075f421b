package dev.modelseal.scan;

import java.util.Objects;

/**
 * One thing the scanner found: the rule that found it, how bad it is, the file (as given to the
 * scanner), where inside the file (zip member, pickle opcode offset, tensor or node name; empty for
 * the file as a whole) and a one-line message. Immutable.
 *
 * @param rule the rule id, for example {@code pickle.dangerous-import}
 * @param severity how bad it is
 * @param file the scanned file, as named to the scanner
 * @param location where inside the file, or empty
 * @param message one line saying what was found
 */
public record Finding(
    String rule, Severity severity, String file, String location, String message) {
  /** Checks that no component is null. */
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  /**
   * A stable identity of this finding across runs: the SHA-256 (lowercase hex) of its rule, file,
   * location and message, each UTF-8 and NUL-terminated. SARIF output carries it in {@code
   * partialFingerprints} ({@code modelseal/v1}); a baseline matches findings by it.
   */
  public String fingerprint() {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (String part : new String[] {rule, file, location, message}) {
      md.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((byte) 0);
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  /** {@code file} followed by the location, if any: {@code model.pt: member 'a/data.pkl'}. */
  public String where() {
    return location.isEmpty() ? file : file + ": " + location;
  }
}
