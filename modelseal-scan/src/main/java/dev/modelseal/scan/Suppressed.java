package dev.modelseal.scan;

import java.util.Objects;

/**
 * A finding left out of a report's findings because the caller accepted it: an entry of a {@link
 * ScanAllowlist} or a previous run's baseline. It is kept in {@link ScanReport#suppressed()} so
 * that nothing disappears without trace, and it does not count towards the exit code.
 *
 * @param finding the finding
 * @param reason what accepted it, for example {@code allowlist global decimal.Decimal}
 */
public record Suppressed(Finding finding, String reason) {
  /** Checks that no component is null. */
  public Suppressed {
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(reason, "reason");
  }
}
