package dev.modelseal.attest;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.pin.VerifiedModel;
import java.util.Optional;

/**
 * Computes a model's weight content digest from its verified bytes, for {@link
 * AttestationVerifier#checkingWeights}: the format readers live outside the core ({@code
 * modelseal-formats}), so the caller supplies this, but it is handed only the verified copy, never
 * a digest to trust.
 */
@FunctionalInterface
public interface WeightsReader {
  /**
   * The weight content digest of {@code model}; empty when no format reader can read it.
   *
   * @param model the verified copy (valid only during the call)
   */
  Optional<Digest> contentDigest(VerifiedModel model) throws ModelsealException;
}
