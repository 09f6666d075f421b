package dev.modelseal.scan;

import dev.modelseal.IntegrityException;
import java.nio.file.Path;
import java.util.List;

/**
 * A verified model's scan found something at or above the required level, or could not read every
 * file. An {@link IntegrityException}: the model is refused, as a changed model is. The message
 * names the worst finding; {@link #report()} holds them all.
 */
public final class UnsafeModelException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  private final transient ScanReport report;

  UnsafeModelException(String model, ScanReport report, Severity level) {
    super(Path.of(model), reason(report, level));
    this.report = report;
  }

  /** The full scan report. */
  public ScanReport report() {
    return report;
  }

  private static String reason(ScanReport report, Severity level) {
    List<Finding> bad = report.atLeast(level);
    if (!bad.isEmpty()) {
      Finding f = bad.get(0);
      return "scan found "
          + bad.size()
          + " finding(s) at "
          + level.label()
          + " or above; worst: "
          + f.severity().label()
          + " "
          + f.rule()
          + " at "
          + f.where()
          + ": "
          + f.message();
    }
    ScanError e = report.errors().get(0);
    return "scan could not read " + e.file() + ": " + e.reason();
  }
}
