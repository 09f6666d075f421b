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

  /** What a verification adds to its result besides the verifier's outcome. */
  record Extras(boolean scanned, IgnoredFiles ignored) {
    static final Extras NONE = new Extras(false, null);
  }

  /** The files on disk that {@code --ignore-unsigned-files} left out, given what was verified. */
  interface IgnoredFiles {
    List<String> of(Manifest verified) throws ModelsealException;
  }

  /** Runs {@code checker} and prints the outcome; exit code {@link Main#OK} or MISMATCH. */
  static int report(Checker checker, Path model, Path sig, boolean json, PrintWriter out)
      throws ModelsealException {
    return report(checker, model, sig, json, out, Extras.NONE);
  }

  /**
   * Runs {@code checker} and prints the outcome; exit code {@link Main#OK} or MISMATCH. A signature
   * that is not usable at all is rethrown (exit code 2).
   */
  static int report(
      Checker checker, Path model, Path sig, boolean json, PrintWriter out, Extras extras)
      throws ModelsealException {
    Manifest m;
    try {
      m = checker.check(model, sig);
    } catch (UnsafeModelException e) {
      return unsafe(out, model.toString(), sig.toString(), e, json, sig);
    } catch (IntegrityException e) {
      if (!ErrorReporting.refusesModel(e)) {
        throw e; // not a usable signature: exit code 2, reported as an error
      }
      return notVerified(out, model.toString(), sig.toString(), e, json, sig, "");
    }
    List<String> ignored = extras.ignored() == null ? null : extras.ignored().of(m);
    return verified(out, model.toString(), sig.toString(), m, json, sig, extras.scanned(), ignored);
  }

  /**
   * Prints that {@code model} is not verified by {@code e} (a refusal, exit code 1): the reason and
   * each modified, missing and extra file ({@code base} prefixed to names).
   */
  static int notVerified(
      PrintWriter out,
      String model,
      String sig,
      IntegrityException e,
      boolean json,
      Path localSig,
      String base) {
    Optional<ManifestComparison> diff =
        e instanceof ModelMismatchException mm ? mm.comparison() : Optional.empty();
    String reason =
        diff.map(c -> "the model does not match its signature (" + c.summary() + ")")
            .orElse(e.reason());
    if (json) {
      ObjectNode o = result(model, false, sig);
      JsonResults.bundle(o, localSig);
      o.put(
          "failure",
          e instanceof SignatureVerificationException s
              ? s.failure().name()
              : e instanceof ModelMismatchException ? "MODEL_MISMATCH" : "INTEGRITY");
      o.put("message", reason);
      if (e instanceof ModelMismatchException mm) {
        o.put("expected", mm.expected());
        o.put("actual", mm.actual());
      }
      diff.ifPresent(c -> JsonResults.comparison(o, c));
      out.println(Json.pretty(o));
    } else {
      out.println("NOT VERIFIED " + model + ": " + reason);
      diff.ifPresent(
          c -> {
            c.modified().forEach(f -> out.println("  modified " + base + f));
            c.missing().forEach(f -> out.println("  missing  " + base + f));
            c.extra().forEach(f -> out.println("  extra    " + base + f));
          });
    }
    out.flush();
    return Main.MISMATCH;
  }

  /** Prints that {@code model} (as the user named it) verified as {@code m}; {@link Main#OK}. */
  static int verified(PrintWriter out, String model, String sig, Manifest m, boolean json) {
    return verified(out, model, sig, m, json, null, false, null);
  }

  /**
   * Prints that {@code model} verified as {@code m}, with the files {@code --ignore-unsigned-files}
   * left out (null when not asked); {@link Main#OK}.
   */
  static int verified(
      PrintWriter out,
      String model,
      String sig,
      Manifest m,
      boolean json,
      Path localSig,
      boolean scanned,
      List<String> ignored) {
    if (json) {
      ObjectNode o = result(model, true, sig);
      JsonResults.bundle(o, localSig);
      o.put("root", m.root().toString());
      o.put("pin", m.pin().toString());
      o.put("files", m.resources().size());
      if (ignored != null) {
        JsonResults.put(o.putArray("ignored"), ignored);
      }
      if (scanned) {
        JsonResults.scan(o, true, null);
      }
      out.println(Json.pretty(o));
    } else {
      out.println("Verified " + model + " (" + m.resources().size() + " files, " + m.root() + ")");
      if (ignored != null) {
        ignored.forEach(
            f -> out.println("  ignored  " + Printable.of(f) + " (not in the signature)"));
      }
    }
    out.flush();
    return Main.OK;
  }

  /** Prints that the verified {@code model} failed its scan; {@link Main#MISMATCH}. */
  static int unsafe(
      PrintWriter out, String model, String sig, UnsafeModelException e, boolean json) {
    return unsafe(out, model, sig, e, json, null);
  }

  static int unsafe(
      PrintWriter out,
      String model,
      String sig,
      UnsafeModelException e,
      boolean json,
      Path localSig) {
    if (json) {
      ObjectNode o = result(model, false, sig);
      JsonResults.bundle(o, localSig);
      o.put("failure", "SCAN");
      o.put("message", e.reason());
      JsonResults.scan(o, false, e.report());
      out.println(Json.pretty(o));
    } else {
      out.println("UNSAFE " + model + ": " + e.reason());
    }
    out.flush();
    return Main.MISMATCH;
  }

  private static ObjectNode result(String model, boolean ok, String sig) {
    ObjectNode o = JsonResults.of(JsonResults.VERIFY);
    o.put("model", model);
    o.put("signature", sig);
    o.put("verified", ok);
    return o;
  }
}
