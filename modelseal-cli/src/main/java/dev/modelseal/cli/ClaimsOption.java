package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.ClaimResult;
import dev.modelseal.attest.ClaimsReport;
import dev.modelseal.attest.ClaimsVerifier;
import dev.modelseal.keys.PemFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code verify PATH --claims F --public-key K [--require ...] [--json]}: every line of a claims
 * collection (OMS signature bundles and attestations) verified against the model in one pass by the
 * library's {@link ClaimsVerifier}, each reported; exit 0 only when all verified and every
 * requirement was met.
 */
final class ClaimsOption {
  @Option(
      names = "--claims",
      paramLabel = "FILE",
      description =
          "Verify every claim of a claims.jsonl (signature bundles and attestations) in one pass;"
              + " needs --public-key.")
  Path file;

  int run(VerifyCommand v, CommandLine cl, PrintWriter out) throws ModelsealException {
    if (v.trust.publicKey == null) {
      throw new ParameterException(cl, "--claims needs --public-key");
    }
    if (v.attestation != null || v.signature != null || v.scan.enabled()) {
      throw new ParameterException(cl, "--claims takes no --attestation, --signature or --scan");
    }
    ClaimsReport r =
        ClaimsVerifier.withPublicKey(PemFiles.readPublicKey(v.trust.publicKey))
            .requiring(v.requirements(cl))
            .checkingWeights(WeightDigests::contentDigest)
            .withProgress(Progress.forTask("verifying"))
            .verify(v.model, file);
    if (v.json) {
      ObjectNode o = Json.object();
      o.put("model", v.model.toString());
      o.put("claims", file.toString());
      o.put("verified", r.verified());
      ArrayNode a = o.putArray("results");
      for (ClaimResult c : r.claims()) {
        ObjectNode e = a.addObject();
        e.put("line", c.line());
        e.put("kind", c.kind());
        e.put("predicateType", c.predicateType());
        e.put("verified", c.verified());
        c.failure().ifPresent(f -> e.put("failure", f));
        e.put("message", c.message());
      }
      ArrayNode u = o.putArray("unmetRequirements");
      r.unmetRequirements().forEach(u::add);
      out.println(Json.pretty(o));
    } else {
      for (ClaimResult c : r.claims()) {
        out.println(
            (c.verified() ? "verified " : "NOT VERIFIED ")
                + "line "
                + c.line()
                + " "
                + c.kind()
                + (c.predicateType().isEmpty() ? "" : " " + Printable.of(c.predicateType()))
                + ": "
                + c.failure().map(f -> f + " ").orElse("")
                + Printable.of(c.message()));
      }
      for (String u : r.unmetRequirements()) {
        out.println("requirement not met: " + Printable.of(u));
      }
      out.println(
          (r.verified() ? "Verified " : "NOT VERIFIED ")
              + r.claims().size()
              + " claims for "
              + Printable.of(v.model.toString()));
    }
    return r.verified() ? Main.OK : Main.MISMATCH;
  }
}
