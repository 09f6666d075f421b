package dev.modelseal.source;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import java.util.Optional;

/**
 * A model to verify, wherever it lives: {@link LocalModelSource} for a file or directory, {@code
 * dev.modelseal.s3.S3ModelSource#model} for an {@code s3://} prefix, {@link StreamedModelSource}
 * for any store that can list and stream its resources.
 *
 * <p>Guarantee: {@link #check} and {@link #open} return only when the bytes read matched the pin
 * (the pin does the comparison; a source cannot weaken it), and every byte of the model is read
 * once. Not checked by a source: anything about who wrote the model or its signature, which is what
 * the pin or the verifier's {@link dev.modelseal.oms.TrustPolicy} decides.
 */
public interface ModelSource {
  /** The model's location as the user named it (a path, an {@code s3://} URI), for messages. */
  String location();

  /** The model's name: its directory's or file's name, or the last element of a prefix. */
  String modelName();

  /** The file's name when the model is a single file; empty for a directory or prefix. */
  Optional<String> singleFileName();

  /**
   * Reads a signature (or attestation) file of at most {@code maxBytes}.
   *
   * @param where where it lives (a path, or a location of this source's kind); null for the model's
   *     default signature ({@code model.sig} in a directory or under a prefix, {@code PATH.sig}
   *     beside a file)
   * @return its bytes, its name for messages and, when it lies inside the model, its path there (so
   *     that the model is verified without it)
   */
  SignatureFile readSignature(String where, int maxBytes) throws ModelsealException;

  /**
   * Reads and hashes the model, keeping nothing, and checks it against {@code pin}.
   *
   * @return the manifest of the bytes read
   * @throws dev.modelseal.pin.ModelMismatchException when it does not match
   */
  Manifest check(ModelPin pin) throws ModelsealException;

  /**
   * Reads the model into a private copy while hashing it and returns the handle on exactly those
   * bytes, when they match {@code pin}.
   *
   * @throws dev.modelseal.pin.ModelMismatchException when it does not match (the copy is deleted)
   */
  VerifiedModel open(ModelPin pin) throws ModelsealException;
}
