package dev.modelseal.attest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.source.LocalModelSource;
import dev.modelseal.source.SignatureFile;
import dev.modelseal.walk.ModelWalker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies every claim of a claims collection ({@link ClaimsFile}) against one local model in one
 * pass: each line's signature with the given key (an OMS signature bundle through {@link
 * OmsVerifier}, an attestation through {@link AttestationVerifier}), then its binding to the model:
 * the model is hashed once per distinct serialization (normally once) and every claim's pin, root
 * or manifest is compared with that manifest; when a claim records a weight digest and a {@link
 * WeightsReader} is given, the model is read once more into a private copy verified against the
 * same manifest and its weights digested from there. Then each requirement must apply to at least
 * one verified attestation and hold for every one it applies to. A malformed or unverifiable line
 * is reported and makes the collection fail; nothing is skipped.
 */
public final class ClaimsVerifier {
  private final VerificationKey key;
  private final List<Requirement> requirements;
  private final WeightsReader weights;
  private final HashProgress progress;

  private ClaimsVerifier(
      VerificationKey key, List<Requirement> reqs, WeightsReader weights, HashProgress progress) {
    this.key = key;
    this.requirements = List.copyOf(reqs);
    this.weights = weights;
    this.progress = progress;
  }

  /** A verifier trusting only {@code key} (for signatures and attestations alike). */
  public static ClaimsVerifier withPublicKey(VerificationKey key) {
    return new ClaimsVerifier(Objects.requireNonNull(key), List.of(), null, HashProgress.NONE);
  }

  /** The same verifier also requiring these conditions. */
  public ClaimsVerifier requiring(List<? extends Requirement> more) {
    List<Requirement> all = new ArrayList<>(requirements);
    all.addAll(more);
    return new ClaimsVerifier(key, all, weights, progress);
  }

  /** The same verifier comparing recorded weight digests with {@code reader}'s. */
  public ClaimsVerifier checkingWeights(WeightsReader reader) {
    return new ClaimsVerifier(key, requirements, Objects.requireNonNull(reader), progress);
  }

  /** The same verifier reporting hashing progress. */
  public ClaimsVerifier withProgress(HashProgress p) {
    return new ClaimsVerifier(key, requirements, weights, Objects.requireNonNull(p));
  }

  /** A claim whose signature verified, waiting for the model check. */
  private record Pending(
      int line, String kind, String type, ModelPin pin, AttestationStatement s) {}

  /**
   * Verifies every claim of {@code claims} against {@code model}.
   *
   * @throws ModelsealException when the claims file or the model cannot be read (a claim that does
   *     not verify is a result, not an exception)
   */
  public ClaimsReport verify(Path model, Path claims) throws ModelsealException {
    List<ClaimsFile.Line> lines = ClaimsFile.read(claims);
    AttestationVerifier att = AttestationVerifier.withPublicKey(key);
    OmsVerifier oms = OmsVerifier.withPublicKey(key);
    String inside = LocalModelSource.pathInside(model, claims);
    List<ClaimResult> results = new ArrayList<>();
    List<Pending> pending = new ArrayList<>();
    for (ClaimsFile.Line line : lines) {
      Path name = Path.of(claims + ":" + line.number());
      String kind = "unknown";
      String type = "";
      try {
        JsonNode doc = StrictJson.parseObject(line.bytes());
        if (doc.has("payloadType")) {
          kind = "attestation";
          AttestationStatement s = att.verifyEnvelope(SignatureFile.of(line.bytes(), name, null));
          type = s.predicateType();
          ModelPin pin = AttestationVerifier.pin(s, progress);
          pending.add(new Pending(line.number(), kind, type, pin, s));
        } else if (doc.has("mediaType")) {
          kind = "signature";
          type = "OMS v1.0 signature bundle";
          ModelPin pin = oms.pin(model, claims, OmsBundle.parse(line.bytes(), name));
          pending.add(new Pending(line.number(), kind, type, pin.withProgress(progress), null));
        } else {
          results.add(
              new ClaimResult(
                  line.number(),
                  kind,
                  type,
                  "MALFORMED",
                  "neither a DSSE envelope nor a signature bundle",
                  null));
        }
      } catch (IllegalArgumentException e) {
        results.add(new ClaimResult(line.number(), kind, type, "MALFORMED", e.getMessage(), null));
      } catch (AttestationException e) {
        results.add(
            new ClaimResult(line.number(), kind, type, e.failure().name(), e.reason(), null));
      } catch (SignatureVerificationException e) {
        results.add(
            new ClaimResult(line.number(), kind, type, e.failure().name(), e.reason(), null));
      }
    }
    try (LocalModel local = new LocalModel(model)) {
      for (Pending p : pending) {
        results.add(bind(local, inside, p));
      }
    }
    results.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return new ClaimsReport(results, unmet(results));
  }

  /**
   * Verifies attestations about a model already verified into {@code model} (a private copy whose
   * manifest matched a signature or the source's own digests), as attached to the model in a
   * registry: claim {@code i} of the report is {@code attestations.get(i - 1)}. An attestation
   * whose signature does not verify with this verifier's key is another signer's: it is reported as
   * {@linkplain ClaimResult#ignored() ignored} and does not count; one signed with the key but
   * malformed or about another model fails the report. Weight digests are computed from {@code
   * model}; requirements are evaluated as by {@link #verify(Path, Path)}.
   */
  public ClaimsReport verifyAttestations(VerifiedModel model, List<SignatureFile> attestations)
      throws ModelsealException {
    AttestationVerifier att = AttestationVerifier.withPublicKey(key);
    List<ClaimResult> results = new ArrayList<>();
    CopiedModel copied = new CopiedModel(model);
    int n = 0;
    for (SignatureFile f : attestations) {
      n++;
      String type = "";
      try {
        AttestationStatement s = att.verifyEnvelope(f);
        type = s.predicateType();
        ModelPin pin = AttestationVerifier.pin(s, progress);
        results.add(bind(copied, null, new Pending(n, "attestation", type, pin, s)));
      } catch (AttestationException e) {
        boolean foreign = e.failure() == AttestationException.Failure.BAD_SIGNATURE;
        results.add(
            new ClaimResult(n, "attestation", type, e.failure().name(), e.reason(), null, foreign));
      }
    }
    return new ClaimsReport(results, unmet(results));
  }

  /** The model the claims are bound to: its manifest per serialization, and a verified copy. */
  private interface BoundModel {
    Path where();

    Manifest manifest(Serialization ser) throws ModelsealException;

    VerifiedModel copy(Manifest actual) throws ModelsealException;
  }

  /** A local model, hashed once per serialization, copied privately once when weights are read. */
  private final class LocalModel implements BoundModel, AutoCloseable {
    private final Path model;
    private final List<Manifest> manifests = new ArrayList<>();
    private VerifiedModel copy;

    LocalModel(Path model) {
      this.model = model;
    }

    @Override
    public Path where() {
      return model;
    }

    @Override
    public Manifest manifest(Serialization ser) throws ModelsealException {
      for (Manifest m : manifests) {
        if (ser.hashesLike(m.serialization())) {
          return m;
        }
      }
      Manifest m =
          ModelHasher.of(ser).progress(progress).hash(ModelWalker.with(ser.walk()).walk(model));
      manifests.add(m);
      return m;
    }

    @Override
    public VerifiedModel copy(Manifest actual) throws ModelsealException {
      if (copy == null || !copy.manifest().root().matches(actual.root())) {
        close();
        copy = ModelPin.of(actual).withProgress(progress).open(model);
      }
      return copy;
    }

    @Override
    public void close() {
      if (copy != null) {
        copy.close();
        copy = null;
      }
    }
  }

  /**
   * A verified private copy: its own manifest where the serialization hashes alike; another
   * serialization is hashed from the copy's files (which are the verified bytes).
   */
  private final class CopiedModel implements BoundModel {
    private final VerifiedModel vm;

    CopiedModel(VerifiedModel vm) {
      this.vm = vm;
    }

    @Override
    public Path where() {
      return Path.of(vm.modelName());
    }

    @Override
    public Manifest manifest(Serialization ser) throws ModelsealException {
      if (ser.hashesLike(vm.manifest().serialization())) {
        return vm.manifest();
      }
      Path dir = vm.directory().orElse(null);
      if (dir == null) {
        throw new dev.modelseal.InvalidInputException(
            where(), "this claim's serialization differs from the verified copy's");
      }
      Path root = vm.isSingleFile() ? vm.file(vm.fileNames().get(0)) : dir;
      return ModelHasher.of(ser).progress(progress).hash(ModelWalker.with(ser.walk()).walk(root));
    }

    @Override
    public VerifiedModel copy(Manifest actual) {
      return vm;
    }
  }

  private ClaimResult bind(BoundModel model, String inside, Pending p) throws ModelsealException {
    ModelPin pin = p.pin();
    Serialization ser = pin.serialization();
    if (inside != null && p.s() != null && !ser.walk().isIgnored(inside)) {
      // The claims file lies in the model but the attestation did not leave it out.
      return new ClaimResult(
          p.line(),
          p.kind(),
          p.type(),
          "MODEL_MISMATCH",
          "the claims file lies inside the model, and this claim's serialization hashes it",
          null);
    }
    Manifest actual = model.manifest(ser);
    try {
      pin.check(model.where(), actual);
    } catch (ModelMismatchException e) {
      return new ClaimResult(
          p.line(),
          p.kind(),
          p.type(),
          "MODEL_MISMATCH",
          "the model is not the one this claim is about (" + e.reason() + ")",
          null);
    }
    if (p.s() == null) {
      return new ClaimResult(
          p.line(),
          p.kind(),
          p.type(),
          null,
          "signature verified; the model matches its " + actual.resources().size() + " files",
          null);
    }
    AttestationStatement s = p.s();
    Digest read = null;
    if (weights != null && s.weightsContentDigest().isPresent()) {
      Optional<Digest> got = weights.contentDigest(model.copy(actual));
      if (got.isEmpty() || !s.weightsContentDigest().get().matches(got.get())) {
        return new ClaimResult(
            p.line(),
            p.kind(),
            p.type(),
            "WEIGHTS_MISMATCH",
            "the model's weights are not the attested ones (attested "
                + s.weightsContentDigest().get()
                + ", got "
                + got.map(Digest::toString).orElse("unreadable weights")
                + ")",
            null);
      }
      read = got.get();
    }
    return new ClaimResult(
        p.line(),
        p.kind(),
        p.type(),
        null,
        "signature verified; about this model (" + s.root() + ")",
        VerifiedAttestation.afterChecks(s, actual, read));
  }

  private List<String> unmet(List<ClaimResult> results) {
    List<String> unmet = new ArrayList<>();
    for (Requirement r : requirements) {
      int applied = 0;
      for (ClaimResult c : results) {
        if (c.attestation().isEmpty() || !r.appliesTo(c.attestation().get().statement())) {
          continue;
        }
        applied++;
        String miss = r.check(c.attestation().get().statement());
        if (miss != null) {
          unmet.add(r + ": line " + c.line() + ": " + miss);
        }
      }
      if (applied == 0) {
        unmet.add(r + ": no verified claim speaks about it");
      }
    }
    return unmet;
  }
}
