package dev.modelseal.attest;

import java.util.List;

/**
 * The outcome of verifying a claims collection in one pass, made only by {@link ClaimsVerifier}:
 * each line's {@link ClaimResult} and each requirement that was not met. {@link #verified()} is
 * true only when every line verified (or, attached in a registry, was another signer's and {@link
 * ClaimResult#ignored() ignored}) and every requirement was met.
 */
public final class ClaimsReport {
  private final List<ClaimResult> claims;
  private final List<String> unmet;

  ClaimsReport(List<ClaimResult> claims, List<String> unmet) {
    this.claims = List.copyOf(claims);
    this.unmet = List.copyOf(unmet);
  }

  /** Every line's result, in file order. */
  public List<ClaimResult> claims() {
    return claims;
  }

  /** The requirements not met, each with the reason. */
  public List<String> unmetRequirements() {
    return unmet;
  }

  /** True when every claim verified or was ignored, and every requirement was met. */
  public boolean verified() {
    return unmet.isEmpty() && claims.stream().allMatch(c -> c.verified() || c.ignored());
  }
}
