package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.oci.OciModelSource;
import dev.modelseal.oci.OciOptions;
import dev.modelseal.oci.OciReference;
import dev.modelseal.oci.PulledOciModel;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.pin.ModelLock;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.PublishCheck;
import dev.modelseal.scan.UnsafeModelException;
import dev.modelseal.source.ModelSource;
import dev.modelseal.walk.WalkOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pull}, {@code verify} and {@code sign} of {@code oci://} references: option checks stay in
 * the commands; this turns them into {@link OciModelSource} calls and prints the results like the
 * {@code s3://} forms do.
 */
final class OciCommands {
  private OciCommands() {}

  /** What the model must match: exactly one of these is set (or none, with a trust policy). */
  record Expected(String signature, String digest, boolean allowOmsRoot, Path lock) {}

  static OciReference parse(String location) {
    return OciReference.parse(location);
  }

  /**
   * The check a pull runs on its verified staged copy, made from the model the pull resolved (its
   * manifest digest fixed), so that what the check reads from the registry is of that manifest.
   */
  @FunctionalInterface
  interface ResolvedCheck {
    PublishCheck of(OciModelSource oci, ModelSource model) throws ModelsealException;
  }

  /**
   * {@code pull oci://...}: the signature is a local file, or (with only a trust option) the bundle
   * attached to the manifest as a referrer.
   */
  static int pull(
      PrintWriter out,
      String location,
      Path to,
      Expected expected,
      OmsVerifier verifier,
      List<String> ignore,
      boolean replace,
      ResolvedCheck check,
      OciOptions options)
      throws ModelsealException {
    OciReference ref = parse(location);
    long t0 = System.nanoTime();
    try (OciModelSource oci = OciModelSource.create(options)) {
      ModelSource model = oci.model(ref);
      PublishCheck publishCheck = check == null ? null : check.of(oci, model);
      ModelPin pin;
      String what;
      if (verifier != null) {
        OmsVerifier v = verifier.ignoring(ignore);
        pin = expected.signature() != null ? v.pin(model, expected.signature()) : oci.pin(v, model);
        what = "signature";
      } else if (expected.lock() != null) {
        pin =
            ModelLock.read(expected.lock())
                .pin(OciReference.SCHEME + ref.registry() + "/" + ref.repository());
        what = "lock entry";
      } else {
        pin =
            CheckCommand.pinOf(expected.digest(), expected.allowOmsRoot())
                .ignoring(ignore.toArray(String[]::new));
        what = "pin";
      }
      try {
        PulledOciModel m = oci.pull(model, pin, to, replace, publishCheck);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.println(
            "Pulled "
                + ref
                + " ("
                + m.manifestDigest()
                + ") to "
                + m.directory()
                + " ("
                + m.manifest().resources().size()
                + " files, "
                + m.bytes()
                + " bytes, "
                + m.rootDigest()
                + ", "
                + ms
                + " ms)");
        return Main.OK;
      } catch (ModelMismatchException e) {
        printMismatch(out, ref, e, what);
        return Main.MISMATCH;
      } catch (UnsafeModelException e) {
        out.println("UNSAFE " + ref + ": " + e.reason() + "; nothing published");
        return Main.MISMATCH;
      }
    }
  }

  /** {@code verify oci://...}: in place, keeping nothing (a private temporary copy with a scan). */
  static int verify(
      PrintWriter out,
      String location,
      String signature,
      OmsVerifier v,
      OciOptions options,
      boolean json)
      throws ModelsealException {
    OciReference ref = parse(location);
    try (OciModelSource oci = OciModelSource.create(options)) {
      ModelSource model = oci.model(ref);
      String sig = signature != null ? signature : oci.signatureOf(v, model);
      String shown = signature != null ? signature : ref + " (attached signature)";
      try {
        Manifest m = v.check(model, sig);
        return VerificationReport.verified(out, ref.toString(), shown, m, json);
      } catch (ModelMismatchException e) {
        printMismatch(out, ref, e, "signature");
        return Main.MISMATCH;
      } catch (UnsafeModelException e) {
        return VerificationReport.unsafe(out, ref.toString(), shown, e, json);
      }
    }
  }

  /** {@code sign oci://...}: signs from the layer digests and attaches the bundle. */
  static int sign(
      PrintWriter out, String location, OmsSigner signer, List<String> ignore, OciOptions options)
      throws ModelsealException {
    OciReference ref = parse(location);
    try (OciModelSource oci = OciModelSource.create(options)) {
      OciModelSource.Signed s = oci.sign(ref, signer, WalkOptions.defaults().ignoring(ignore));
      out.println(
          "Signed "
              + ref
              + " ("
              + s.manifestDigest()
              + ", "
              + s.files()
              + " files, "
              + (s.pulled() == 0 ? "from the layer digests" : s.pulled() + " bytes streamed")
              + ") -> referrer "
              + s.referrerDigest()
              + (s.fallbackTag()
                  ? " (referrers tag " + s.manifestDigest().replace(':', '-') + ")"
                  : ""));
      return Main.OK;
    }
  }

  static void printMismatch(
      PrintWriter out, OciReference ref, ModelMismatchException e, String what) {
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
    out.println("NOT VERIFIED " + ref + ": " + reason);
    e.comparison().ifPresent(c -> printDiff(out, ref, c));
    out.flush();
  }

  private static void printDiff(PrintWriter out, OciReference ref, ManifestComparison c) {
    c.modified().forEach(f -> out.println("  modified " + f));
    c.missing().forEach(f -> out.println("  missing  " + f));
    c.extra().forEach(f -> out.println("  extra    " + f));
  }
}
