package dev.modelseal.scan;

import dev.modelseal.pin.VerifiedModel;

/**
 * A verified model whose verified bytes were scanned with no finding at or above the level asked
 * for: "signed, unchanged, and runs no code we know of". Only {@link ModelScanner#require} builds
 * one. It does not own the model: closing the {@link VerifiedModel} is still the caller's job.
 */
public final class ScannedModel {
  private final VerifiedModel model;
  private final ScanReport report;

  ScannedModel(VerifiedModel model, ScanReport report) {
    this.model = model;
    this.report = report;
  }

  /** The verified model that was scanned. */
  public VerifiedModel model() {
    return model;
  }

  /** The scan report (findings below the level, imports, skipped items). */
  public ScanReport report() {
    return report;
  }
}
