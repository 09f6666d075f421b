package dev.modelseal.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a scan found: findings (worst first, then by file and location), every pickle import with
 * its rating, items skipped with the reason, errors, and the findings the caller accepted
 * (suppressed by an allowlist or a baseline, kept for the record). Immutable. A report with errors
 * is incomplete: {@link #complete()} is false, yet its findings are all kept.
 */
public final class ScanReport {
  private static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::severity)
          .reversed()
          .thenComparing(Finding::file)
          .thenComparing(Finding::location)
          .thenComparing(Finding::rule);

  private final List<String> files;
  private final List<Finding> findings;
  private final List<PickleImport> imports;
  private final List<Skipped> skipped;
  private final List<ScanError> errors;
  private final List<Suppressed> suppressed;

  ScanReport(
      List<String> files,
      List<Finding> findings,
      List<PickleImport> imports,
      List<Skipped> skipped,
      List<ScanError> errors,
      List<Suppressed> suppressed) {
    this.files = List.copyOf(files);
    this.findings = findings.stream().sorted(ORDER).toList();
    this.imports = List.copyOf(imports);
    this.skipped = List.copyOf(skipped);
    this.errors = List.copyOf(errors);
    this.suppressed = List.copyOf(suppressed);
  }

  /** Findings the caller accepted (allowlist, baseline), in the order they were left out. */
  public List<Suppressed> suppressed() {
    return suppressed;
  }

  /**
   * A copy of this report in which every finding {@code accepted} names (with its reason; null to
   * keep the finding) is moved to {@link #suppressed()}. Errors, imports and skipped items stay.
   */
  public ScanReport suppressing(Function<Finding, String> accepted) {
    List<Finding> kept = new ArrayList<>();
    List<Suppressed> moved = new ArrayList<>(suppressed);
    for (Finding f : findings) {
      String reason = accepted.apply(f);
      if (reason == null) {
        kept.add(f);
      } else {
        moved.add(new Suppressed(f, reason));
      }
    }
    return new ScanReport(files, kept, imports, skipped, errors, moved);
  }

  /** The paths that were given to the scanner, in order. */
  public List<String> files() {
    return files;
  }

  /** Every finding, worst first. */
  public List<Finding> findings() {
    return findings;
  }

  /** Every global imported by a pickle, in the order met. */
  public List<PickleImport> imports() {
    return imports;
  }

  /** Files and members deliberately not scanned, with the reason. */
  public List<Skipped> skipped() {
    return skipped;
  }

  /** Files that could not be read at all. */
  public List<ScanError> errors() {
    return errors;
  }

  /** True when every file could be read (there may still be findings). */
  public boolean complete() {
    return errors.isEmpty();
  }

  /** The worst severity found, if any finding was made. */
  public Optional<Severity> worst() {
    return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0).severity());
  }

  /** The findings at {@code level} or worse. */
  public List<Finding> atLeast(Severity level) {
    return findings.stream().filter(f -> f.severity().atLeast(level)).toList();
  }
}
