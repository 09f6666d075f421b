package dev.modelseal.attest;

import dev.modelseal.IntegrityException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.dsse.Signature;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a metric attestation against a model: the DSSE signature with the given key (over the
 * payload bytes as received), the statement's form, the model's OMS root recomputed from its files
 * with the recorded serialization, optionally the weight content digest, and each required metric.
 * Returns a {@link VerifiedAttestation} (or a {@link VerifiedModel}) or throws {@link
 * AttestationException}; there is no boolean result.
 */
public final class AttestationVerifier {
  /** The largest attestation file read. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private final VerificationKey key;
  private final List<MetricRequirement> requirements;
  private final Optional<Digest> weights;
  private final HashProgress progress;

  private AttestationVerifier(
      VerificationKey key,
      List<MetricRequirement> requirements,
      Optional<Digest> weights,
      HashProgress progress) {
    this.key = key;
    this.requirements = List.copyOf(requirements);
    this.weights = weights;
    this.progress = progress;
  }

  /** A verifier trusting only {@code key}. */
  public static AttestationVerifier withPublicKey(VerificationKey key) {
    return new AttestationVerifier(
        Objects.requireNonNull(key), List.of(), Optional.empty(), HashProgress.NONE);
  }

  /** The same verifier also requiring these metric conditions. */
  public AttestationVerifier requiring(List<MetricRequirement> more) {
    List<MetricRequirement> all = new ArrayList<>(requirements);
    all.addAll(more);
    return new AttestationVerifier(key, all, weights, progress);
  }

  /**
   * The same verifier also requiring that the attested weight content digest equals {@code actual}
   * (the caller computed it from the model with a format reader).
   */
  public AttestationVerifier requireWeights(Digest actual) {
    return new AttestationVerifier(key, requirements, Optional.of(actual), progress);
  }

  /** The same verifier reporting hashing progress. */
  public AttestationVerifier withProgress(HashProgress p) {
    return new AttestationVerifier(key, requirements, weights, Objects.requireNonNull(p));
  }

  /** Reads and checks the attestation's signature and form, without looking at a model. */
  public MetricsStatement readVerified(Path attestation) throws ModelsealException {
    byte[] bytes = OmsBundle.readBytes(attestation, MAX_BYTES);
    Envelope env;
    MetricsStatement statement;
    try {
      env = Envelope.read(StrictJson.parseObject(bytes), "attestation");
      if (!MetricsStatement.PAYLOAD_TYPE.equals(env.payloadType())) {
        throw new IllegalArgumentException(
            "attestation.payloadType is not " + MetricsStatement.PAYLOAD_TYPE);
      }
    } catch (IllegalArgumentException e) {
      throw fail(attestation, AttestationException.Failure.MALFORMED, e.getMessage());
    }
    byte[] pae = env.pae();
    boolean verified = false;
    for (Signature s : env.signatures()) {
      if (key.verify(pae, s.sig())) {
        verified = true;
        break;
      }
    }
    if (!verified) {
      throw fail(
          attestation,
          AttestationException.Failure.BAD_SIGNATURE,
          "the attestation's signature does not verify with the given public key");
    }
    try {
      statement = MetricsStatement.parse(env.payload());
    } catch (IllegalArgumentException e) {
      throw fail(attestation, AttestationException.Failure.MALFORMED, e.getMessage());
    }
    return statement;
  }

  /** Verifies the attestation against the model where it is. */
  public VerifiedAttestation check(Path model, Path attestation) throws ModelsealException {
    MetricsStatement s = readVerified(attestation);
    Manifest m;
    try {
      m = pin(s).check(model);
    } catch (ModelMismatchException e) {
      throw modelMismatch(model, s, e);
    }
    return finish(model, attestation, s, m);
  }

  /**
   * Verifies the attestation and returns the model's verified content (read once, hashed and kept
   * privately, as {@link ModelPin#open(Path)} does).
   */
  public VerifiedModel open(Path model, Path attestation) throws ModelsealException {
    MetricsStatement s = readVerified(attestation);
    VerifiedModel vm;
    try {
      vm = pin(s).open(model);
    } catch (ModelMismatchException e) {
      throw modelMismatch(model, s, e);
    }
    try {
      finish(model, attestation, s, vm.manifest());
      return vm;
    } catch (ModelsealException | RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  private ModelPin pin(MetricsStatement s) {
    // An attestation records the OMS root only (names are bound by the model signature).
    return ModelPin.ofOmsRoot(s.root()).withSerialization(s.serialization()).withProgress(progress);
  }

  private VerifiedAttestation finish(Path model, Path attestation, MetricsStatement s, Manifest m)
      throws AttestationException {
    if (weights.isPresent()) {
      if (s.weightsContentDigest().isEmpty()) {
        throw fail(
            attestation,
            AttestationException.Failure.WEIGHTS_MISMATCH,
            "the attestation records no weight digest to compare");
      }
      if (!s.weightsContentDigest().get().matches(weights.get())) {
        throw fail(
            model,
            AttestationException.Failure.WEIGHTS_MISMATCH,
            "the model's weights are not the attested ones (attested "
                + s.weightsContentDigest().get()
                + ", got "
                + weights.get()
                + ")");
      }
    }
    List<String> misses = new ArrayList<>();
    for (MetricRequirement r : requirements) {
      String miss = r.check(s.metrics());
      if (miss != null) {
        misses.add(miss);
      }
    }
    if (!misses.isEmpty()) {
      throw fail(
          attestation,
          AttestationException.Failure.REQUIREMENT_NOT_MET,
          "metric requirement not met: " + String.join("; ", misses));
    }
    return new VerifiedAttestation(s, m);
  }

  private static IntegrityException modelMismatch(
      Path model, MetricsStatement s, ModelMismatchException e) {
    return fail(
        model,
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
      Path file, AttestationException.Failure f, String reason) {
    return new AttestationException(file, f, reason);
  }
}
