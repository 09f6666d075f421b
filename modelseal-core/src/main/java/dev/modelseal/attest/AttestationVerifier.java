package dev.modelseal.attest;

import dev.modelseal.IntegrityException;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.dsse.Signature;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.oms.TrustPolicy;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.source.LocalModelSource;
import dev.modelseal.source.ModelSource;
import dev.modelseal.source.SignatureFile;
import java.nio.file.Path;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a metric attestation against a model from any {@link ModelSource}: the DSSE signature
 * with the given key (over the payload bytes as received), then the statement's form, the model's
 * OMS root recomputed from its files with the recorded serialization, optionally the weight content
 * digest (computed by a {@link WeightsReader} from the verified copy, never taken from the caller),
 * and each required metric. Returns a {@link VerifiedAttestation} (or a {@link VerifiedModel}) or
 * throws {@link AttestationException}; there is no boolean result.
 */
public final class AttestationVerifier {
  /** The largest attestation file read. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private final VerificationKey key;
  private final List<Requirement> requirements;
  private final WeightsReader weights;
  private final HashProgress progress;

  private AttestationVerifier(
      VerificationKey key,
      List<Requirement> requirements,
      WeightsReader weights,
      HashProgress progress) {
    this.key = key;
    this.requirements = List.copyOf(requirements);
    this.weights = weights;
    this.progress = progress;
  }

  /** A verifier trusting only {@code key}. */
  public static AttestationVerifier withPublicKey(VerificationKey key) {
    return new AttestationVerifier(Objects.requireNonNull(key), List.of(), null, HashProgress.NONE);
  }

  /**
   * A verifier for {@code trust}: attestations are signed with a key, so only a {@link
   * TrustPolicy.PublicKey} is accepted.
   *
   * @throws InvalidInputException for another policy
   */
  public static AttestationVerifier create(TrustPolicy trust) throws InvalidInputException {
    if (trust instanceof TrustPolicy.PublicKey k) {
      return withPublicKey(k.key());
    }
    throw new InvalidInputException(null, "attestations are verified with a public key");
  }

  /** The same verifier also requiring these metric conditions. */
  public AttestationVerifier requiring(List<? extends Requirement> more) {
    List<Requirement> all = new ArrayList<>(requirements);
    all.addAll(more);
    return new AttestationVerifier(key, all, weights, progress);
  }

  /**
   * The same verifier also requiring, when the attestation records a weight content digest, that
   * {@code reader} computes the same digest from the verified copy of the model (the model is then
   * read into a private copy even by {@link #check}). A model whose weights {@code reader} cannot
   * read fails, since the attested ones were read.
   */
  public AttestationVerifier checkingWeights(WeightsReader reader) {
    return new AttestationVerifier(key, requirements, Objects.requireNonNull(reader), progress);
  }

  /** The same verifier reporting hashing progress. */
  public AttestationVerifier withProgress(HashProgress p) {
    return new AttestationVerifier(key, requirements, weights, Objects.requireNonNull(p));
  }

  /** Verifies the attestation against the model where it is. */
  public VerifiedAttestation check(Path model, Path attestation) throws ModelsealException {
    return check(LocalModelSource.of(model), attestation.toString());
  }

  /**
   * Verifies the attestation against the model read from {@code source}.
   *
   * @param attestation where the attestation lives, as {@code source} reads it
   */
  public VerifiedAttestation check(ModelSource source, String attestation)
      throws ModelsealException {
    SignatureFile file = source.readSignature(attestation, MAX_BYTES);
    AttestationStatement s = verifySignature(file);
    if (weights != null && s.weightsContentDigest().isPresent()) {
      try (VerifiedModel vm = open(source, s)) {
        return finish(source, file.name(), s, vm);
      }
    }
    Manifest m;
    try {
      m = source.check(pin(s));
    } catch (ModelMismatchException e) {
      throw modelMismatch(source, s, e);
    }
    return finish(source, file.name(), s, m, null);
  }

  /**
   * Verifies the attestation and returns the model's verified content (read once, hashed and kept
   * privately, as {@link ModelPin#open(Path)} does).
   */
  public VerifiedModel open(Path model, Path attestation) throws ModelsealException {
    return open(LocalModelSource.of(model), attestation.toString());
  }

  /**
   * Verifies the attestation and returns the verified content of the model read from {@code
   * source}.
   */
  public VerifiedModel open(ModelSource source, String attestation) throws ModelsealException {
    SignatureFile file = source.readSignature(attestation, MAX_BYTES);
    AttestationStatement s = verifySignature(file);
    VerifiedModel vm = open(source, s);
    try {
      finish(source, file.name(), s, vm);
      return vm;
    } catch (ModelsealException | RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  private VerifiedModel open(ModelSource source, AttestationStatement s) throws ModelsealException {
    try {
      return source.open(pin(s));
    } catch (ModelMismatchException e) {
      throw modelMismatch(source, s, e);
    }
  }

  /** Checks the attestation's signature, then its form; nothing about a model. */
  private AttestationStatement verifySignature(SignatureFile file) throws ModelsealException {
    Path attestation = file.name();
    byte[] bytes = file.bytes();
    if (bytes.length > MAX_BYTES) {
      throw fail(
          attestation,
          AttestationException.Failure.MALFORMED,
          "attestation larger than " + MAX_BYTES + " bytes");
    }
    Envelope env;
    try {
      env = Envelope.read(StrictJson.parseObject(bytes), "attestation");
      if (!AttestationStatement.PAYLOAD_TYPE.equals(env.payloadType())) {
        throw new IllegalArgumentException(
            "attestation.payloadType is not " + AttestationStatement.PAYLOAD_TYPE);
      }
    } catch (IllegalArgumentException e) {
      throw fail(attestation, AttestationException.Failure.MALFORMED, e.getMessage());
    }
    if (!anySignatureVerifies(env)) {
      throw fail(
          attestation,
          AttestationException.Failure.BAD_SIGNATURE,
          "the attestation's signature does not verify with the given public key");
    }
    try {
      return AttestationStatement.parse(env.payload());
    } catch (IllegalArgumentException e) {
      throw fail(attestation, AttestationException.Failure.MALFORMED, e.getMessage());
    }
  }

  private boolean anySignatureVerifies(Envelope env) {
    byte[] pae = env.pae();
    for (Signature s : env.signatures()) {
      if (s.keyId().isPresent()
          && !s.keyId().get().isEmpty()
          && !s.keyId().get().equals(key.hint())) {
        continue; // it names another key: not a signature by this one
      }
      try {
        key.verify(pae, s.sig());
        return true;
      } catch (SignatureException e) {
        // try the next one
      }
    }
    return false;
  }

  /**
   * The pin the model must match: the statement's pin when it records one (it binds names), else
   * its OMS root (a metric attestation records the root only; names are bound by the signature).
   */
  static ModelPin pin(AttestationStatement s, HashProgress progress) {
    ModelPin p = s.pin().isPresent() ? ModelPin.of(s.pin().get()) : ModelPin.ofOmsRoot(s.root());
    return p.withSerialization(s.serialization()).withProgress(progress);
  }

  private ModelPin pin(AttestationStatement s) {
    return pin(s, progress);
  }

  /**
   * Checks the envelope's signature with this verifier's key, then reads the statement: nothing
   * about a model (for {@link ClaimsVerifier}, which binds the statement to the model itself).
   */
  AttestationStatement verifyEnvelope(SignatureFile file) throws ModelsealException {
    return verifySignature(file);
  }

  /** The requirements that must hold. */
  List<Requirement> requirements() {
    return requirements;
  }

  private VerifiedAttestation finish(
      ModelSource source, Path attestation, AttestationStatement s, VerifiedModel vm)
      throws ModelsealException {
    Digest actual = null;
    if (weights != null && s.weightsContentDigest().isPresent()) {
      Digest attested = s.weightsContentDigest().get();
      Optional<Digest> got = weights.contentDigest(vm);
      if (got.isEmpty()) {
        throw fail(
            source,
            AttestationException.Failure.WEIGHTS_MISMATCH,
            "the model's weights cannot be read to compare with the attested " + attested);
      }
      if (!attested.matches(got.get())) {
        throw fail(
            source,
            AttestationException.Failure.WEIGHTS_MISMATCH,
            "the model's weights are not the attested ones (attested "
                + attested
                + ", got "
                + got.get()
                + ")");
      }
      actual = got.get();
    }
    return finish(source, attestation, s, vm.manifest(), actual);
  }

  private VerifiedAttestation finish(
      ModelSource source, Path attestation, AttestationStatement s, Manifest m, Digest weightsRead)
      throws AttestationException {
    List<String> misses = new ArrayList<>();
    for (Requirement r : requirements) {
      String miss = r.check(s);
      if (miss != null) {
        misses.add(miss);
      }
    }
    if (!misses.isEmpty()) {
      throw fail(
          attestation,
          AttestationException.Failure.REQUIREMENT_NOT_MET,
          "requirement not met: " + String.join("; ", misses));
    }
    return VerifiedAttestation.afterChecks(s, m, weightsRead);
  }

  private static IntegrityException modelMismatch(
      ModelSource source, AttestationStatement s, ModelMismatchException e) {
    return fail(
        source,
        AttestationException.Failure.MODEL_MISMATCH,
        "the model is not the attested one (attested "
            + s.root()
            + " for '"
            + s.modelName()
            + "', got "
            + e.actual()
            + ")");
  }

  private static AttestationException fail(
      ModelSource source, AttestationException.Failure f, String reason) {
    return fail(Path.of(source.location()), f, reason);
  }

  private static AttestationException fail(
      Path file, AttestationException.Failure f, String reason) {
    return new AttestationException(file, f, reason);
  }
}
