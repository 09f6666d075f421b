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

  /** {@code file} followed by the location, if any: {@code model.pt: member 'a/data.pkl'}. */
  public String where() {
    return location.isEmpty() ? file : file + ": " + location;
  }
}
