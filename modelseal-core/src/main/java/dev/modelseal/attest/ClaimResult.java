package dev.modelseal.attest;

import java.util.Optional;

/**
 * The outcome of one line of a claims collection, made only by {@link ClaimsVerifier}
 * (package-private constructor): its line number, kind ({@code signature} for an OMS signature
 * bundle, {@code attestation} for a DSSE-signed in-toto statement, {@code unknown}), predicate
 * type, whether it verified (signature and binding to the model as read), and, when it did not,
 * which check failed and why. A verified attestation line carries its {@link VerifiedAttestation}.
 * Of claims attached in a registry, another signer's is {@link #ignored()}.
 */
public final class ClaimResult {
  private final int line;
  private final String kind;
  private final String predicateType;
  private final String failure;
  private final String message;
  private final VerifiedAttestation attestation;
  private final boolean ignored;

  ClaimResult(
      int line,
      String kind,
      String predicateType,
      String failure,
      String message,
      VerifiedAttestation attestation) {
    this(line, kind, predicateType, failure, message, attestation, false);
  }

  ClaimResult(
      int line,
      String kind,
      String predicateType,
      String failure,
      String message,
      VerifiedAttestation attestation,
      boolean ignored) {
    this.ignored = ignored && failure != null;
    this.line = line;
    this.kind = kind;
    this.predicateType = predicateType;
    this.failure = failure;
    this.message = message;
    this.attestation = attestation;
  }

  /** The line number in the claims file (1-based). */
  public int line() {
    return line;
  }

  /** {@code signature}, {@code attestation} or {@code unknown}. */
  public String kind() {
    return kind;
  }

  /** The statement's predicate type, or empty when it could not be read. */
  public String predicateType() {
    return predicateType;
  }

  /** True when the signature verified and the claim is about the model as read. */
  public boolean verified() {
    return failure == null;
  }

  /** The failed check ({@code MALFORMED}, {@code BAD_SIGNATURE}, {@code MODEL_MISMATCH}, ...). */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** What was verified, or why not: one line. */
  public String message() {
    return message;
  }

  /**
   * True for an attached claim that another signer made (its signature does not verify with the
   * trusted key): reported, not verified, and not counted against the report.
   */
  public boolean ignored() {
    return ignored;
  }

  /** The verified attestation of a verified attestation line. */
  public Optional<VerifiedAttestation> attestation() {
    return Optional.ofNullable(attestation);
  }
}
