package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.IntegrityException;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationStatement;
import dev.modelseal.attest.ClaimResult;
import dev.modelseal.attest.ClaimsReport;
import dev.modelseal.attest.ClaimsVerifier;
import dev.modelseal.attest.Requirement;
import dev.modelseal.digest.Digest;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.oci.OciModelSource;
import dev.modelseal.oci.OciOptions;
import dev.modelseal.oci.OciReference;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.PublishCheck;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.UnsafeModelException;
import dev.modelseal.source.ModelSource;
import dev.modelseal.source.SignatureFile;
import dev.modelseal.walk.WalkOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Attestations of {@code oci://} models, attached to the model's manifest as OCI 1.1 referrers:
 * {@code attest oci://} and {@code scan oci:// --attest} state what they found about the model as
 * the registry holds it (read once into a private copy verified against the manifest's layer
 * digests) and attach the signed envelope; {@code verify oci:// --attestations|--require} and
 * {@code pull oci:// --require} verify every attached attestation against the signature-verified
 * copy with {@link ClaimsVerifier#verifyAttestations}.
 */
final class OciEvidence {
  private OciEvidence() {}

  /** Makes the statement about the verified copy (its manifest and weight digest). */
  interface StatementMaker {
    AttestationStatement make(VerifiedModel copy, Optional<Digest> weights)
        throws ModelsealException;
  }

  /** What {@link #attest} did. */
  record Attested(
      OciReference ref,
      OciModelSource.Attachment attachment,
      Manifest manifest,
      Optional<Digest> weights,
      AttestationStatement statement) {}

  /**
   * Reads the model at {@code location} into a private copy verified against its manifest's layer
   * digests, has {@code maker} state about it, signs the statement with {@code key}, writes it to
   * {@code output} and {@code append} when given, and attaches it to the manifest.
   */
  static Attested attest(
      String location,
      OciOptions options,
      SigningKey key,
      StatementMaker maker,
      Path output,
      Path append)
      throws ModelsealException {
    OciReference ref = OciReference.parse(location);
    try (OciModelSource oci = OciModelSource.create(options)) {
      OciModelSource.Described d = oci.describe(ref, WalkOptions.defaults());
      try (VerifiedModel copy = oci.open(d.model(), ModelPin.of(d.manifest()))) {
        Optional<Digest> weights = WeightDigests.contentDigest(copy);
        AttestationStatement st = maker.make(copy, weights);
        byte[] json = EvidenceFiles.write(key, st, output, append);
        OciModelSource.Attachment a = oci.attachAttestation(d.model(), json, st.predicateType());
        return new Attested(ref, a, copy.manifest(), weights, st);
      }
    }
  }

  /**
   * {@code scan oci://...}: the model read once into a private copy verified against its manifest's
   * layer digests, and exactly those bytes scanned.
   */
  static ScanReport scan(String location, OciOptions options, ModelScanner scanner)
      throws ModelsealException {
    OciReference ref = OciReference.parse(location);
    try (OciModelSource oci = OciModelSource.create(options)) {
      OciModelSource.Described d = oci.describe(ref, WalkOptions.defaults());
      try (VerifiedModel copy = oci.open(d.model(), ModelPin.of(d.manifest()))) {
        return scanner.scan(copy);
      }
    }
  }

  /** The one line naming where an attestation was attached. */
  static String attachedLine(Attested a) {
    return "  -> referrer "
        + a.attachment().referrerDigest()
        + " of "
        + a.ref()
        + " ("
        + a.attachment().manifestDigest()
        + (a.attachment().fallbackTag()
            ? ", referrers tag " + a.attachment().manifestDigest().replace(':', '-')
            : "")
        + ")";
  }

  /**
   * {@code verify oci://... --public-key K --attestations [--require ...]}: the attached (or given)
   * signature, then every attached attestation signed with {@code key}; exit 0 only when the
   * signature verified, every attestation by {@code key} is about these bytes, and every
   * requirement was met.
   */
  static int verify(
      PrintWriter out,
      String location,
      String signature,
      OmsVerifier v,
      VerificationKey key,
      List<Requirement> reqs,
      OciOptions options,
      boolean json)
      throws ModelsealException {
    OciReference ref = OciReference.parse(location);
    try (OciModelSource oci = OciModelSource.create(options)) {
      ModelSource model = oci.model(ref);
      String sig = signature != null ? signature : oci.signatureOf(v, model);
      String shown = signature != null ? signature : ref + " (attached signature)";
      List<OciModelSource.AttachedAttestation> attached = oci.attestations(model);
      ClaimsReport r;
      Manifest m;
      try (VerifiedModel copy = v.open(model, sig)) {
        m = copy.manifest();
        r = verifier(key, reqs).verifyAttestations(copy, envelopes(attached));
      } catch (ModelMismatchException e) {
        OciCommands.printMismatch(out, ref, e, "signature");
        return Main.MISMATCH;
      } catch (UnsafeModelException e) {
        return VerificationReport.unsafe(out, ref.toString(), shown, e, json);
      }
      if (json) {
        ObjectNode o = JsonResults.of(JsonResults.VERIFY);
        o.put("model", ref.toString());
        o.put("signature", shown);
        o.put("verified", r.verified());
        o.put("root", m.root().toString());
        o.put("pin", m.pin().toString());
        o.put("files", m.resources().size());
        ArrayNode a = o.putArray("attestations");
        for (ClaimResult c : r.claims()) {
          ObjectNode e = a.addObject();
          e.put("referrer", referrer(attached, c));
          e.put("predicateType", c.predicateType());
          e.put("verified", c.verified());
          e.put("ignored", c.ignored());
          c.failure().ifPresent(f -> e.put("failure", f));
          e.put("message", c.message());
        }
        JsonResults.put(o.putArray("unmetRequirements"), r.unmetRequirements());
        if (!r.verified()) {
          o.put("failure", "ATTESTATIONS");
          o.put("message", summary(r));
        }
        out.println(Json.pretty(o));
      } else {
        out.println(
            "Verified signature of "
                + ref
                + " ("
                + m.resources().size()
                + " files, "
                + m.root()
                + ")");
        printClaims(out, attached, r);
        out.println(
            (r.verified() ? "Verified " : "NOT VERIFIED ")
                + ref
                + ": "
                + (r.verified()
                    ? verifiedCount(r) + " attached attestations verified"
                    : summary(r)));
      }
      out.flush();
      return r.verified() ? Main.OK : Main.MISMATCH;
    }
  }

  /**
   * The check {@code pull oci://... --require} runs on the verified staged copy before it is
   * published: every attestation attached to the manifest the pull resolved (listed when the check
   * is made, so that a registry error stops the pull before any layer is read) is verified and
   * every requirement must hold; else nothing is published. The manifest is resolved once, by the
   * pull: a tag moved meanwhile cannot pair one manifest's attestations with another's layers.
   */
  static OciCommands.ResolvedCheck pullCheck(
      PrintWriter out, VerificationKey key, List<Requirement> reqs, PublishCheck then) {
    return (oci, model) -> {
      List<OciModelSource.AttachedAttestation> attached = oci.attestations(model);
      String where = model.location();
      return copy -> {
        ClaimsReport r = verifier(key, reqs).verifyAttestations(copy, envelopes(attached));
        printClaims(out, attached, r);
        out.flush();
        if (!r.verified()) {
          throw new IntegrityException(
              Path.of(where), "attached attestations: " + summary(r) + "; nothing published");
        }
        if (then != null) {
          then.check(copy);
        }
      };
    };
  }

  private static ClaimsVerifier verifier(VerificationKey key, List<Requirement> reqs) {
    return ClaimsVerifier.withPublicKey(key)
        .requiring(reqs)
        .checkingWeights(WeightDigests::contentDigest)
        .withProgress(Progress.forTask("verifying"));
  }

  private static List<SignatureFile> envelopes(List<OciModelSource.AttachedAttestation> attached) {
    return attached.stream().map(OciModelSource.AttachedAttestation::envelope).toList();
  }

  private static void printClaims(
      PrintWriter out, List<OciModelSource.AttachedAttestation> attached, ClaimsReport r) {
    for (ClaimResult c : r.claims()) {
      out.println(
          "  "
              + (c.verified() ? "verified " : c.ignored() ? "ignored  " : "NOT VERIFIED ")
              + "attestation "
              + referrer(attached, c)
              + (c.predicateType().isEmpty() ? "" : " " + Printable.of(c.predicateType()))
              + ": "
              + c.failure().map(f -> f + " ").orElse("")
              + Printable.of(c.message())
              + (c.ignored() ? " (another signer's; not counted)" : ""));
    }
    for (String u : r.unmetRequirements()) {
      out.println("  requirement not met: " + Printable.of(u));
    }
  }

  /** The referrer of claim {@code c}: claim {@code i} is attachment {@code i - 1}. */
  private static String referrer(List<OciModelSource.AttachedAttestation> attached, ClaimResult c) {
    return attached.get(c.line() - 1).referrer();
  }

  private static long verifiedCount(ClaimsReport r) {
    return r.claims().stream().filter(ClaimResult::verified).count();
  }

  private static String summary(ClaimsReport r) {
    long failed = r.claims().stream().filter(c -> !c.verified() && !c.ignored()).count();
    StringBuilder b = new StringBuilder();
    b.append(verifiedCount(r)).append(" verified, ").append(failed).append(" failed");
    if (!r.unmetRequirements().isEmpty()) {
      b.append(", ").append(r.unmetRequirements().size()).append(" requirements not met");
    }
    return b.toString();
  }
}
