package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.scan.Finding;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanError;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.UnsafeModelException;
import java.io.PrintWriter;

/**
 * The {@code --scan[=LEVEL]} option of {@code verify}, {@code check} and {@code pull}: the model's
 * verified private copy (never the original path) is scanned, and a finding at LEVEL or above
 * refuses the model with exit code 1, as a mismatch does.
 */
final class ScanPolicy {
  /** Opens a verified handle on the model (each verification method has its own). */
  interface Opener {
    VerifiedModel open() throws ModelsealException;
  }

  private ScanPolicy() {}

  /**
   * Verifies by opening, scans the verified bytes and returns the manifest; an {@link
   * UnsafeModelException} after printing each finding at or above {@code level} to {@code out}.
   */
  static Manifest verifyAndScan(Opener opener, String level, PrintWriter out, boolean quiet)
      throws ModelsealException {
    Severity s = Severity.parse(level);
    try (VerifiedModel vm = opener.open()) {
      scan(vm, s, out, quiet);
      return vm.manifest();
    }
  }

  /**
   * Scans {@code vm}; an {@link UnsafeModelException} after printing each finding at or above
   * {@code s} to {@code out} (unless {@code quiet}).
   */
  static void scan(VerifiedModel vm, Severity s, PrintWriter out, boolean quiet)
      throws ModelsealException {
    try {
      ModelScanner.create().require(vm, s);
    } catch (UnsafeModelException e) {
      if (!quiet) {
        for (Finding f : e.report().atLeast(s)) {
          out.println(
              "  " + f.severity().label() + " " + f.rule() + " " + f.where() + ": " + f.message());
        }
        for (ScanError err : e.report().errors()) {
          out.println("  error " + err.file() + ": " + err.reason());
        }
      }
      throw e;
    }
  }
}
