package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationException;
import dev.modelseal.attest.AttestationVerifier;
import dev.modelseal.attest.Requirement;
import dev.modelseal.attest.ScanStatement;
import dev.modelseal.attest.VerifiedAttestation;
import dev.modelseal.oms.TrustPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    AttestationVerifier v =
        AttestationVerifier.create(trust)
            .requiring(reqs)
            .checkingWeights(WeightDigests::contentDigest)
            .withProgress(Progress.forTask("verifying"));
    try {
      VerifiedAttestation a = v.check(model, attestation);
      if (json) {
        ObjectNode o = result(model, attestation, true);
        o.put("root", a.statement().root().toString());
        o.put("predicateType", a.statement().predicateType());
        ObjectNode m = o.putObject("metrics");
        a.metrics().values().forEach(m::put);
        if (a.statement() instanceof ScanStatement s) {
          o.put("worst", s.worst());
          o.put("findings", s.findingCount());
        }
        out.println(Json.pretty(o));
      } else {
        out.println("Verified attestation for " + model + " (" + a.statement().root() + ")");
        a.metrics()
            .values()
            .forEach((k, val) -> out.println("  " + k + " = " + val.toPlainString()));
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
      }
      return Main.OK;
    } catch (AttestationException e) {
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
  }

  private static ObjectNode result(Path model, Path attestation, boolean ok) {
    ObjectNode o = Json.object();
    o.put("model", model.toString());
    o.put("attestation", attestation.toString());
    o.put("verified", ok);
    return o;
  }
}
