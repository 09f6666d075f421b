package dev.modelseal.bom;

import dev.modelseal.attest.ClaimsReport;
import java.util.Objects;
import java.util.Optional;

/**
 * What the caller verified about the model, to record in the BOM: the outcome of a signature check
 * (verified or not, by whom, why not) and of a claims collection. The BOM only records these; it
 * never turns an unverified claim's content (metrics) into model-card data.
 *
 * @param signature the signature outcome, when a signature was checked
 * @param claims the claims report, when a claims collection was checked
 */
public record Evidence(Optional<SignatureOutcome> signature, Optional<ClaimsReport> claims) {
  /** Validates the fields. */
  public Evidence {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(claims, "claims");
  }

  /** Nothing checked. */
  public static Evidence none() {
    return new Evidence(Optional.empty(), Optional.empty());
  }

  /**
   * A signature check.
   *
   * @param file the signature file
   * @param verified whether it verified against the model
   * @param signer who signed (the public key's hint)
   * @param message what was verified, or why not
   */
  public record SignatureOutcome(String file, boolean verified, String signer, String message) {}
}
