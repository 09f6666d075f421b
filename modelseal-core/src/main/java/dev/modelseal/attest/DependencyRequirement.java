package dev.modelseal.attest;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code dependencies==pinned}: every dependency a scan attestation lists as fetched by the loader
 * (an adapter's base model, remote code of another repository) names a full commit hash as its
 * revision. Names only recorded as provenance (transformers' {@code _name_or_path}) are not fetched
 * when loading and are not held to it.
 */
public record DependencyRequirement() implements Requirement {
  /** The name written before the operator. */
  public static final String NAME = "dependencies";

  static DependencyRequirement parse(String text, String rest) {
    if (!rest.startsWith("==") || !rest.substring(2).strip().equals("pinned")) {
      throw new IllegalArgumentException("requirement '" + text + "' must be dependencies==pinned");
    }
    return new DependencyRequirement();
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
    List<String> loose = new ArrayList<>();
    for (ScanStatement.Dependency d : scan.dependencies()) {
      if (d.fetched() && !d.pinned()) {
        loose.add(d.name() + " (" + d.file() + " " + d.field() + ")");
      }
    }
    if (loose.size() == 0) {
      return null;
    }
    return "dependencies not pinned to a commit: "
        + String.join(", ", loose.subList(0, Math.min(loose.size(), 10)))
        + (loose.size() > 10 ? " and " + (loose.size() - 10) + " more" : "");
  }

  @Override
  public String toString() {
    return NAME + "==pinned";
  }
}
