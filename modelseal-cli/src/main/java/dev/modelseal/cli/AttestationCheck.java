package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationException;
import dev.modelseal.attest.AttestationVerifier;
import dev.modelseal.attest.MetricRequirement;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.attest.VerifiedAttestation;
import dev.modelseal.digest.Digest;
import dev.modelseal.keys.PemFiles;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ParameterException;

/** {@code modelseal verify PATH --attestation F --public-key K --require ...}. */
final class AttestationCheck {
  private AttestationCheck() {}

  static int run(VerifyCommand c) throws ModelsealException {
    if (c.attestation == null) {
      throw new ParameterException(c.spec.commandLine(), "--require needs --attestation");
    }
    if (c.trust.publicKey == null) {
      throw new ParameterException(c.spec.commandLine(), "--attestation needs --public-key");
    }
    if (c.signature != null || c.ignoreUnsigned || c.at != null || !c.ignore.isEmpty()) {
      throw new ParameterException(
          c.spec.commandLine(),
          "--attestation takes no --signature, --ignore, --ignore-unsigned-files or --at");
    }
    List<MetricRequirement> reqs = new ArrayList<>();
    for (String r : c.requirements) {
      try {
        reqs.add(MetricRequirement.parse(r));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(c.spec.commandLine(), e.getMessage());
      }
    }
    AttestationVerifier v =
        AttestationVerifier.withPublicKey(PemFiles.readPublicKey(c.trust.publicKey))
            .requiring(reqs)
            .withProgress(Progress.forTask("verifying"));
    PrintWriter out = c.spec.commandLine().getOut();
    try {
      MetricsStatement claimed = v.readVerified(c.attestation);
      if (claimed.weightsContentDigest().isPresent()) {
        Optional<Digest> actual = WeightDigests.contentDigest(c.model);
        if (actual.isPresent()) {
          v = v.requireWeights(actual.get());
        }
      }
      VerifiedAttestation a = v.check(c.model, c.attestation);
      if (c.json) {
        ObjectNode o = result(c, true);
        o.put("root", a.statement().root().toString());
        ObjectNode m = o.putObject("metrics");
        a.metrics().values().forEach(m::put);
        out.println(Json.pretty(o));
      } else {
        out.println("Verified attestation for " + c.model + " (" + a.statement().root() + ")");
        a.metrics()
            .values()
            .forEach((k, val) -> out.println("  " + k + " = " + val.toPlainString()));
        reqs.forEach(r -> out.println("  requirement met: " + r));
      }
      return Main.OK;
    } catch (AttestationException e) {
      if (c.json) {
        ObjectNode o = result(c, false);
        o.put("failure", e.failure().name());
        o.put("message", e.reason());
        out.println(Json.pretty(o));
      } else {
        out.println("NOT VERIFIED " + c.model + ": " + e.reason());
      }
      return Main.MISMATCH;
    }
  }

  private static ObjectNode result(VerifyCommand c, boolean ok) {
    ObjectNode o = Json.object();
    o.put("model", c.model.toString());
    o.put("attestation", c.attestation.toString());
    o.put("verified", ok);
    return o;
  }
}
