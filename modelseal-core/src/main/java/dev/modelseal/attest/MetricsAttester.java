package dev.modelseal.attest;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.dsse.Pae;
import dev.modelseal.dsse.Signature;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Signs an {@link AttestationStatement} (metrics, scan, evaluation) into a DSSE envelope (JSON),
 * the attestation file. The key id is the key's OMS hint (SHA-256 of its public key PEM), so a
 * verifier can tell keys apart.
 */
public final class MetricsAttester {
  private final SigningKey key;

  private MetricsAttester(SigningKey key) {
    this.key = key;
  }

  /** An attester signing with {@code key}. */
  public static MetricsAttester withKey(SigningKey key) {
    return new MetricsAttester(Objects.requireNonNull(key, "key"));
  }

  /** The signed envelope of {@code statement}. */
  public Envelope sign(AttestationStatement statement) {
    byte[] payload = statement.toBytes();
    byte[] sig = key.sign(Pae.encode(AttestationStatement.PAYLOAD_TYPE, payload));
    return Envelope.of(
        AttestationStatement.PAYLOAD_TYPE,
        payload,
        List.of(Signature.of(sig, key.verificationKey().hint())));
  }

  /** Signs and writes the attestation to {@code file} atomically. */
  public Envelope signTo(AttestationStatement statement, Path file) throws ModelsealException {
    Envelope e = sign(statement);
    try {
      AtomicFiles.write(file, StrictJson.mapper().writeValueAsBytes(e.toJson()));
    } catch (IOException ex) {
      throw ModelIoException.of(file, ex);
    }
    return e;
  }
}
