package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;

/**
 * Model formats the scanner recognises but has no rules for yet: HDF5 (Keras .h5 and the weights of
 * .keras archives) and TFLite flatbuffers. Reported as {@code format.not-inspected} (low) so a
 * reviewer knows the file was not looked into. Tried after every other rule, so a rule added with
 * {@link dev.modelseal.scan.ModelScanner.Builder#rule} for these formats takes precedence.
 */
public final class UninspectedRule implements FormatRule {
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};
  private static final byte[] TFLITE = {'T', 'F', 'L', '3'};

  @Override
  public String format() {
    return "uninspected model format";
  }

  @Override
  public boolean claims(Content c) {
    return name(c) != null;
  }

  private static String name(Content c) {
    if (c.headMatches(0, HDF5)) {
      return "HDF5 file (Keras .h5 or .keras weights)";
    }
    if (c.headMatches(4, TFLITE)) {
      return "TFLite model";
    }
    return null;
  }

  @Override
  public boolean fallback() {
    return true;
  }

  @Override
  public void scan(Content c, ScanContext ctx) {
    ctx.finding(
        c,
        "format.not-inspected",
        Severity.LOW,
        "",
        name(c) + ": recognised, but no rule of this scanner inspects it");
  }
}
