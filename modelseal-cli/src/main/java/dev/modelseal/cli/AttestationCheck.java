package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationException;
import dev.modelseal.attest.AttestationVerifier;
import dev.modelseal.attest.MetricRequirement;
import dev.modelseal.attest.Requirement;
import dev.modelseal.attest.ScanStatement;
import dev.modelseal.attest.VerifiedAttestation;
import dev.modelseal.oms.TrustPolicy;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code modelseal verify PATH --attestation F --public-key K --require ...}: runs the library's
 * {@link AttestationVerifier} (weights digested from the verified copy by {@link WeightDigests})
 * and prints the outcome.
 */
final class AttestationCheck {
  private AttestationCheck() {}

  static int run(
      Path model,
      Path attestation,
      TrustPolicy trust,
      List<Requirement> reqs,
      boolean json,
      PrintWriter out)
      throws ModelsealException {
    // Each requirement is evaluated (Requirement.check) once the attestation verified, so
    // that the result lists every one as met or unmet rather than only the first that failed.
    AttestationVerifier v =
        AttestationVerifier.create(trust)
            .checkingWeights(WeightDigests::contentDigest)
            .withProgress(Progress.forTask("verifying"));
    VerifiedAttestation a;
    try {
      a = v.check(model, attestation);
    } catch (AttestationException e) {
      if (!ErrorReporting.refusesModel(e)) {
        throw e; // not a usable attestation: exit code 2, reported as an error
      }
      if (json) {
        ObjectNode o = result(model, attestation, false);
        o.put("failure", e.failure().name());
        o.put("message", e.reason());
        out.println(Json.pretty(o));
      } else {
        out.println("NOT VERIFIED " + model + ": " + e.reason());
      }
      return Main.MISMATCH;
    }
    List<String> unmet = new ArrayList<>();
    for (Requirement r : reqs) {
      String why = r.check(a.statement());
      if (why != null) {
        unmet.add(why);
      }
    }
    boolean ok = unmet.isEmpty();
    if (json) {
      ObjectNode o = result(model, attestation, ok);
      o.put("root", a.statement().root().toString());
      a.verifiedWeights().ifPresent(w -> o.put("weights", w.toString()));
      o.put("predicateType", a.statement().predicateType());
      ObjectNode m = o.putObject("metrics");
      a.metrics().values().forEach(m::put);
      if (a.statement() instanceof ScanStatement s) {
        o.put("worst", s.worst());
        o.put("findings", s.findingCount());
      }
      ArrayNode ra = o.putArray("requirements");
      for (Requirement r : reqs) {
        String why = r.check(a.statement());
        ObjectNode x = ra.addObject();
        x.put("requirement", r.toString());
        if (r instanceof MetricRequirement mr) {
          x.put("metric", mr.metric());
          BigDecimal actual = a.metrics().values().get(mr.metric());
          if (actual != null) {
            x.put("actual", actual);
          }
        }
        x.put("met", why == null);
        if (why != null) {
          x.put("reason", why);
        }
      }
      if (!ok) {
        o.put("failure", AttestationException.Failure.REQUIREMENT_NOT_MET.name());
        o.put("message", String.join("; ", unmet));
      }
      out.println(Json.pretty(o));
    } else if (ok) {
      out.println("Verified attestation for " + model + " (" + a.statement().root() + ")");
      a.metrics().values().forEach((k, val) -> out.println("  " + k + " = " + val.toPlainString()));
      if (a.statement() instanceof ScanStatement s) {
        out.println(
            "  scan: worst "
                + s.worst()
                + ", "
                + s.findingCount()
                + " findings, rules "
                + s.rules());
      }
      reqs.forEach(r -> out.println("  requirement met: " + r));
    } else {
      out.println("NOT VERIFIED " + model + ": " + String.join("; ", unmet));
      for (Requirement r : reqs) {
        String why = r.check(a.statement());
        out.println("  requirement " + (why == null ? "met:   " : "unmet: ") + r);
      }
    }
    return ok ? Main.OK : Main.MISMATCH;
  }

  private static ObjectNode result(Path model, Path attestation, boolean ok) {
    ObjectNode o = JsonResults.of(JsonResults.VERIFY_ATTESTATION);
    o.put("model", model.toString());
    o.put("attestation", attestation.toString());
    o.put("verified", ok);
    return o;
  }
}
