package dev.modelseal.attest;

/**
 * {@code scan<=LEVEL} (or {@code scan<LEVEL}, {@code scan==none}): the attested worst severity of a
 * scan attestation ({@link ScanStatement}) is at most LEVEL (one of {@code none info low medium
 * high critical}); an incomplete scan (a file could not be read) never meets it.
 *
 * @param op {@code <=}, {@code <} or {@code ==}
 * @param level the level
 */
public record ScanRequirement(MetricRequirement.Op op, String level) implements Requirement {
  /** The name written before the operator. */
  public static final String NAME = "scan";

  /** Validates the fields. */
  public ScanRequirement {
    if (op != MetricRequirement.Op.LE
        && op != MetricRequirement.Op.LT
        && op != MetricRequirement.Op.EQ) {
      throw new IllegalArgumentException("scan requirements use <=, < or ==");
    }
    if (ScanStatement.rank(level) < 0) {
      throw new IllegalArgumentException(
          "unknown severity '" + level + "'; use none, info, low, medium, high or critical");
    }
  }

  static ScanRequirement parse(String text, String rest) {
    for (MetricRequirement.Op op :
        new MetricRequirement.Op[] {
          MetricRequirement.Op.LE, MetricRequirement.Op.EQ, MetricRequirement.Op.LT
        }) {
      if (rest.startsWith(op.symbol())) {
        String level =
            rest.substring(op.symbol().length()).strip().toLowerCase(java.util.Locale.ROOT);
        try {
          return new ScanRequirement(op, level);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("requirement '" + text + "': " + e.getMessage());
        }
      }
    }
    throw new IllegalArgumentException(
        "requirement '" + text + "' must look like scan<=low (<=, < or ==, then a severity)");
  }

  @Override
  public boolean appliesTo(AttestationStatement s) {
    return s instanceof ScanStatement;
  }

  @Override
  public String check(AttestationStatement s) {
    if (!(s instanceof ScanStatement scan)) {
      return "the attestation is no scan attestation (required " + this + ")";
    }
    if (!scan.complete()) {
      return "the attested scan is incomplete (a file could not be read); required " + this;
    }
    int cmp = Integer.compare(ScanStatement.rank(scan.worst()), ScanStatement.rank(level));
    boolean ok =
        switch (op) {
          case LE -> cmp <= 0;
          case LT -> cmp < 0;
          default -> cmp == 0;
        };
    return ok ? null : "the attested worst severity is " + scan.worst() + ", required " + this;
  }

  @Override
  public String toString() {
    return NAME + op.symbol() + level;
  }
}
