package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.IntegrityException;
import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.oms.SpeculativeHash;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.scan.UnsafeModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@code modelseal verify} as printed (text or JSON) with its exit code, and the
 * plain key form that the start-up shortcut ({@link dev.modelseal.cli.startup.StartUp}) runs. Kept
 * apart from {@link VerifyCommand} so that the fast path loads no command-line parser class:
 * linking the command class pulls picocli's classes in, and with them a scan of every jar before
 * picocli's on the class path (measured: some 60 ms of a core at start-up, mostly the JIT compiling
 * the jar-reading code).
 */
final class VerificationReport {
  private VerificationReport() {}

  /** The check each method's verifier offers. */
  interface Checker {
    Manifest check(Path model, Path signature) throws ModelsealException;
  }

  /**
   * The plain key form, {@code verify PATH [--signature SIG] --public-key PEM [--json]}, as the
   * start-up shortcut runs it without building the command line parser; the same steps and output
   * as {@link VerifyCommand#call()} for those arguments.
   */
  static int verifyWithPublicKey(
      Path model, Path signature, Path publicKey, boolean json, PrintWriter out)
      throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    HashProgress progress = Progress.forTask("verifying");
    List<String> ignores = List.of();
    SpeculativeHash early = SpeculativeHash.start(model, sig, ignores, progress);
    OmsVerifier verifier;
    try {
      verifier =
          OmsVerifier.withPublicKey(PemFiles.readPublicKey(publicKey))
              .ignoring(ignores)
              .withProgress(progress);
    } catch (ModelsealException | RuntimeException e) {
      early.cancel();
      throw e;
    }
    return report((m, sg) -> verifier.check(m, sg, early), model, sig, json, out);
  }

  /** Runs {@code checker} and prints the outcome; exit code {@link Main#OK} or MISMATCH. */
  static int report(Checker checker, Path model, Path sig, boolean json, PrintWriter out)
      throws ModelsealException {
    try {
      return verified(out, model.toString(), sig.toString(), checker.check(model, sig), json);
    } catch (UnsafeModelException e) {
      return unsafe(out, model.toString(), sig.toString(), e, json);
    } catch (IntegrityException e) {
      Optional<ManifestComparison> diff =
          e instanceof ModelMismatchException mm ? mm.comparison() : Optional.empty();
      String reason =
          diff.map(c -> "the model does not match its signature (" + c.summary() + ")")
              .orElse(e.reason());
      if (json) {
        ObjectNode o = result(model.toString(), false, sig.toString());
        o.put(
            "failure",
            e instanceof SignatureVerificationException s
                ? s.failure().name()
                : e instanceof ModelMismatchException ? "MODEL_MISMATCH" : "INTEGRITY");
        o.put("message", reason);
        diff.ifPresent(
            c -> {
              c.modified().forEach(o.putArray("modified")::add);
              c.missing().forEach(o.putArray("missing")::add);
              c.extra().forEach(o.putArray("extra")::add);
            });
        out.println(Json.pretty(o));
      } else {
        out.println("NOT VERIFIED " + model + ": " + reason);
        diff.ifPresent(
            c -> {
              c.modified().forEach(f -> out.println("  modified " + f));
              c.missing().forEach(f -> out.println("  missing  " + f));
              c.extra().forEach(f -> out.println("  extra    " + f));
            });
      }
      out.flush();
      return Main.MISMATCH;
    }
  }

  /** Prints that {@code model} (as the user named it) verified as {@code m}; {@link Main#OK}. */
  static int verified(PrintWriter out, String model, String sig, Manifest m, boolean json) {
    if (json) {
      ObjectNode o = result(model, true, sig);
      o.put("root", m.root().toString());
      o.put("files", m.resources().size());
      out.println(Json.pretty(o));
    } else {
      out.println("Verified " + model + " (" + m.resources().size() + " files, " + m.root() + ")");
    }
    out.flush();
    return Main.OK;
  }

  /** Prints that the verified {@code model} failed its scan; {@link Main#MISMATCH}. */
  static int unsafe(
      PrintWriter out, String model, String sig, UnsafeModelException e, boolean json) {
    if (json) {
      ObjectNode o = result(model, false, sig);
      o.put("failure", "SCAN");
      o.put("message", e.reason());
      out.println(Json.pretty(o));
    } else {
      out.println("UNSAFE " + model + ": " + e.reason());
    }
    out.flush();
    return Main.MISMATCH;
  }

  private static ObjectNode result(String model, boolean ok, String sig) {
    ObjectNode o = Json.object();
    o.put("model", model);
    o.put("signature", sig);
    o.put("verified", ok);
    return o;
  }
}
