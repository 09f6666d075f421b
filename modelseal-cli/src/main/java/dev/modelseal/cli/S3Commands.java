package dev.modelseal.cli;

import dev.modelseal.IntegrityException;
import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.s3.S3ModelSource;
import dev.modelseal.s3.S3Options;
import dev.modelseal.s3.S3Uri;
import dev.modelseal.scan.UnsafeModelException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What {@code pull} and {@code verify s3://} share: the default signature and printing results. */
final class S3Commands {
  private S3Commands() {}

  /** The default signature of a remote model: {@code model.sig} under its prefix. */
  static String defaultSignature(S3Uri model) {
    return model + "/model.sig";
  }

  /**
   * {@code verify s3://...}: the one verifier over the S3 source, for every trust policy; streams
   * and hashes in place and keeps nothing, unless {@code v} scans (it then verifies a private
   * temporary copy, scans exactly those bytes and deletes it).
   */
  static int verify(
      PrintWriter out,
      String location,
      String signature,
      OmsVerifier v,
      S3Options options,
      boolean json)
      throws ModelsealException {
    S3Uri model = S3Uri.parse(location);
    String sig = signature != null ? signature : defaultSignature(model);
    try (S3ModelSource s = S3ModelSource.create(options)) {
      try {
        Manifest m = v.check(s.model(model), sig);
        return VerificationReport.verified(out, model.toString(), sig, m, json);
      } catch (UnsafeModelException e) {
        return VerificationReport.unsafe(out, model.toString(), sig, e, json);
      } catch (IntegrityException e) {
        if (!ErrorReporting.refusesModel(e)) {
          throw e; // not a usable signature: exit code 2
        }
        Path local = signature != null && !S3Uri.looksLikeS3(signature) ? Path.of(signature) : null;
        return VerificationReport.notVerified(
            out, model.toString(), sig, e, json, local, model + "/");
      }
    }
  }

  static void printMismatch(PrintWriter out, S3Uri model, ModelMismatchException e, String what) {
    String reason =
        e.comparison()
            .map(c -> "the model does not match its " + what + " (" + c.summary() + ")")
            .orElse(
                "the model does not match its "
                    + what
                    + " (expected "
                    + e.expected()
                    + ", got "
                    + e.actual()
                    + ")");
    out.println("NOT VERIFIED " + model + ": " + reason);
    e.comparison().ifPresent(c -> printDiff(out, model, c));
    out.flush();
  }

  private static void printDiff(PrintWriter out, S3Uri model, ManifestComparison c) {
    String base = model + "/";
    c.modified().forEach(f -> out.println("  modified " + base + f));
    c.missing().forEach(f -> out.println("  missing  " + base + f));
    c.extra().forEach(f -> out.println("  extra    " + base + f));
  }
}
