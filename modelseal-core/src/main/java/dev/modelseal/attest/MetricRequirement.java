package dev.modelseal.attest;

import dev.modelseal.internal.StrictJson;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A condition on one metric, written {@code NAME OP VALUE} with OP one of {@code >= > <= < ==}:
 * {@code f1>=0.90}. Parsed by hand (no regular expressions); compared exactly as decimals.
 *
 * @param metric the metric name
 * @param op the comparison
 * @param value the threshold
 */
public record MetricRequirement(String metric, Op op, BigDecimal value) implements Requirement {
  /** The comparisons. */
  public enum Op {
    /** At least. */
    GE(">="),
    /** More than. */
    GT(">"),
    /** At most. */
    LE("<="),
    /** Less than. */
    LT("<"),
    /** Exactly. */
    EQ("==");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
      return symbol;
    }

    boolean holds(int cmp) {
      return switch (this) {
        case GE -> cmp >= 0;
        case GT -> cmp > 0;
        case LE -> cmp <= 0;
        case LT -> cmp < 0;
        case EQ -> cmp == 0;
      };
    }
  }

  /** Validates the fields. */
  public MetricRequirement {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
  }

  /**
   * Parses {@code f1>=0.90} (spaces around the parts allowed).
   *
   * @throws IllegalArgumentException with the reason when malformed
   */
  public static MetricRequirement parse(String text) {
    String s = text == null ? "" : text.strip();
    int i = 0;
    while (i < s.length() && "<>=!".indexOf(s.charAt(i)) < 0) {
      i++;
    }
    String name = s.substring(0, i).strip();
    if (name.isEmpty() || Metrics.checkName(name) != null) {
      throw new IllegalArgumentException(
          "requirement "
              + StrictJson.quoted(String.valueOf(text))
              + " must look like f1>=0.90 (a metric name, >= > <= < ==, a number)");
    }
    Op op = null;
    for (Op candidate : new Op[] {Op.GE, Op.LE, Op.EQ, Op.GT, Op.LT}) {
      if (s.startsWith(candidate.symbol, i)) {
        op = candidate;
        break;
      }
    }
    if (op == null) {
      throw new IllegalArgumentException(
          "requirement "
              + StrictJson.quoted(String.valueOf(text))
              + " needs one of >= > <= < == after the metric name");
    }
    String number = s.substring(i + op.symbol.length()).strip();
    try {
      if (number.isEmpty() || number.length() > 64) {
        throw new NumberFormatException();
      }
      return new MetricRequirement(name, op, new BigDecimal(number));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "requirement "
              + StrictJson.quoted(String.valueOf(text))
              + " needs a number after "
              + op.symbol);
    }
  }

  /** The metrics a statement records, or null for a statement without metrics. */
  private static Metrics metricsOf(AttestationStatement s) {
    if (s instanceof MetricsStatement m) {
      return m.metrics();
    }
    if (s instanceof EvalStatement e) {
      return e.metrics();
    }
    return null;
  }

  @Override
  public boolean appliesTo(AttestationStatement s) {
    Metrics m = metricsOf(s);
    return m != null && m.values().containsKey(metric);
  }

  @Override
  public String check(AttestationStatement s) {
    Metrics m = metricsOf(s);
    if (m == null) {
      return "the attestation records no metrics (required " + this + ")";
    }
    return check(m);
  }

  /** Null when {@code metrics} meets this requirement, else why not. */
  public String check(Metrics metrics) {
    BigDecimal v = metrics.values().get(metric);
    if (v == null) {
      return "metric '" + metric + "' is not in the attestation";
    }
    if (!op.holds(v.compareTo(value))) {
      return metric + " is " + v.toPlainString() + ", required " + this;
    }
    return null;
  }

  @Override
  public String toString() {
    return metric + op.symbol + value.toPlainString();
  }
}
