package dev.modelseal.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One rule of a {@link ModelPolicy}: the model sources it covers and what a model from them must
 * satisfy. Exactly one of {@link #trust} (a signature by that signer) and {@link #pin} (a pin the
 * model must have) is present. {@link #scan} is the level at or above which a scan finding refuses
 * the model; {@link #requirements} are attestation conditions ({@code f1>=0.9}, {@code scan<=low})
 * checked against the claims file {@link #claims}.
 */
public final class PolicyRule {
  private final String name;
  private final List<SourcePattern> sources;
  private final PolicyTrust trust;
  private final String pin;
  private final String scan;
  private final List<String> requirements;
  private final Path claims;
  private final ModelPolicy.Mode mode;

  PolicyRule(
      String name,
      List<SourcePattern> sources,
      PolicyTrust trust,
      String pin,
      String scan,
      List<String> requirements,
      Path claims,
      ModelPolicy.Mode mode) {
    this.name = name;
    this.sources = List.copyOf(sources);
    this.trust = trust;
    this.pin = pin;
    this.scan = scan;
    this.requirements = List.copyOf(requirements);
    this.claims = claims;
    this.mode = mode;
  }

  /** The rule's name (its position, {@code rules[3]}, when the file gives none). */
  public String name() {
    return name;
  }

  /** The source patterns, as written. */
  public List<String> sources() {
    return sources.stream().map(SourcePattern::toString).toList();
  }

  /**
   * Whether {@code source} (an {@code oci://}, {@code s3://} URI or an absolute path) is covered.
   */
  public boolean covers(String source) {
    for (SourcePattern p : sources) {
      if (p.matches(source)) {
        return true;
      }
    }
    return false;
  }

  /** The trusted signer, when the rule asks for a signature. */
  public Optional<PolicyTrust> trust() {
    return Optional.ofNullable(trust);
  }

  /** The pin the model must have, when the rule pins it. */
  public Optional<String> pin() {
    return Optional.ofNullable(pin);
  }

  /** The scan level ({@code low} ... {@code critical}) at or above which a finding refuses it. */
  public Optional<String> scan() {
    return Optional.ofNullable(scan);
  }

  /** The attestation conditions, as written ({@code f1>=0.9}). */
  public List<String> requirements() {
    return requirements;
  }

  /** The claims file the attestations are read from (absolute, or relative to the model). */
  public Optional<Path> claims() {
    return Optional.ofNullable(claims);
  }

  /** Whether a failure refuses the model or is reported. */
  public ModelPolicy.Mode mode() {
    return mode;
  }

  @Override
  public String toString() {
    return "rule '" + name + "'";
  }
}
