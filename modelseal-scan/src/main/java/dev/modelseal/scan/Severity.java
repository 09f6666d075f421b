package dev.modelseal.scan;

import java.util.Locale;

/**
 * How bad a finding is, in increasing order: {@link #INFO} (for review, nothing runs), {@link #LOW}
 * (a file the scanner recognises but has no rules for), {@link #MEDIUM} (a file or member that
 * could not be fully scanned), {@link #HIGH} (code outside the allowlist would run on load), {@link
 * #CRITICAL} (a known-dangerous callable would run on load).
 */
public enum Severity {
  /** Worth a look; nothing is executed because of it. */
  INFO,
  /** Recognised but not inspected by any rule. */
  LOW,
  /** Could not be scanned completely (fail closed). */
  MEDIUM,
  /** Loading would run code that is not on the allowlist. */
  HIGH,
  /** Loading would run a known-dangerous callable. */
  CRITICAL;

  /** The lower-case label used in reports and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this severity is {@code other} or worse. */
  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }

  /** The severity named {@code label} (any case); an {@link IllegalArgumentException} otherwise. */
  public static Severity parse(String label) {
    for (Severity s : values()) {
      if (s.name().equalsIgnoreCase(label.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + label + "'; use info, low, medium, high or critical");
  }
}
