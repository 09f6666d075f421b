package dev.modelseal.attest;

/**
 * A condition a verified attestation must meet, written on the command line as {@code --require}: a
 * metric ({@code f1>=0.90}, {@link MetricRequirement}), the attested scan result ({@code
 * scan<=low}, {@link ScanRequirement}) or the pinning of the model's load-time dependencies ({@code
 * dependencies==pinned}, {@link DependencyRequirement}). A requirement {@linkplain #appliesTo
 * applies} to some attestations only; verifying one attestation, it must apply and hold; verifying
 * a claims collection, it must apply to at least one claim and hold for every claim it applies to.
 */
public sealed interface Requirement
    permits MetricRequirement, ScanRequirement, DependencyRequirement {

  /** True when this requirement speaks about {@code s}. */
  boolean appliesTo(AttestationStatement s);

  /** Null when {@code s} meets this requirement, else why not (for a statement it applies to). */
  String check(AttestationStatement s);

  /**
   * Parses {@code f1>=0.90}, {@code scan<=low} or {@code dependencies==pinned}.
   *
   * @throws IllegalArgumentException with the reason when malformed
   */
  static Requirement parse(String text) {
    String s = text == null ? "" : text.strip();
    int i = 0;
    while (i < s.length() && "<>=!".indexOf(s.charAt(i)) < 0) {
      i++;
    }
    String name = s.substring(0, i).strip();
    if (name.equals(ScanRequirement.NAME)) {
      return ScanRequirement.parse(text, s.substring(i));
    }
    if (name.equals(DependencyRequirement.NAME) || name.equals("deps")) {
      return DependencyRequirement.parse(text, s.substring(i));
    }
    return MetricRequirement.parse(text);
  }
}
