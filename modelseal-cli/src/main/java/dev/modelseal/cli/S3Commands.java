package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.s3.S3ModelSource;
import dev.modelseal.s3.S3Options;
import dev.modelseal.s3.S3Uri;
import dev.modelseal.scan.UnsafeModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** What {@code pull} and {@code verify s3://} share: reading signatures and printing results. */
final class S3Commands {
  private S3Commands() {}

  /** The default signature of a remote model: {@code model.sig} under its prefix. */
  static String defaultSignature(S3Uri model) {
    return model + "/model.sig";
  }

  /** Reads and verifies a signature (an {@code s3://} object or a local file); returns the pin. */
  static ModelPin signaturePin(
      S3ModelSource source, S3Uri model, String signature, OmsVerifier v, List<String> ignore)
      throws ModelsealException {
    if (S3Uri.looksLikeS3(signature)) {
      S3Uri sig = S3Uri.parse(signature);
      byte[] bytes = source.readObject(sig, OmsBundle.DEFAULT_MAX_BYTES);
      return S3ModelSource.signaturePin(
          model, v, OmsBundle.parse(bytes, Path.of(sig.modelName())), sig, ignore);
    }
    return S3ModelSource.signaturePin(model, v, OmsBundle.read(Path.of(signature)), null, ignore);
  }

  /**
   * {@code verify s3://...}: streams and hashes in place, keeps nothing; with {@code scan} (a
   * severity), downloads into a private temporary copy instead, verifies it, scans exactly those
   * bytes and deletes it.
   */
  static int verify(
      PrintWriter out,
      String location,
      String signature,
      OmsVerifier v,
      List<String> ignore,
      S3Options options,
      boolean json,
      String scan)
      throws ModelsealException {
    S3Uri model = S3Uri.parse(location);
    String sig = signature != null ? signature : defaultSignature(model);
    try (S3ModelSource s = S3ModelSource.create(options)) {
      ModelPin pin = signaturePin(s, model, sig, v, ignore);
      try {
        Manifest m =
            scan == null
                ? s.check(model, pin)
                : ScanPolicy.verifyAndScan(() -> s.open(model, pin, null), scan, out, json);
        return VerificationReport.verified(out, model.toString(), sig, m, json);
      } catch (ModelMismatchException e) {
        printMismatch(out, model, e, "signature");
        return Main.MISMATCH;
      } catch (UnsafeModelException e) {
        return VerificationReport.unsafe(out, model.toString(), sig, e, json);
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
