package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationStatement;
import dev.modelseal.attest.ClaimsFile;
import dev.modelseal.attest.MetricsAttester;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.source.LocalModelSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code attest} and {@code scan --attest} share: reading the signing key, leaving the
 * attestation and claims files out of the model when they lie inside it, and writing the signed
 * envelope to {@code -o} and/or appending it to a claims collection ({@code --append}).
 */
final class EvidenceFiles {
  private EvidenceFiles() {}

  static SigningKey key(Path key, Path passwordFile) throws ModelsealException {
    char[] password = passwordFile == null ? null : PemFiles.readPassword(passwordFile);
    try {
      return PemFiles.readPrivateKey(key, password);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** {@code s} also leaving out each of {@code files} that lies inside {@code model}. */
  static Serialization leavingOut(Serialization s, Path model, Path... files) {
    List<String> inside = new ArrayList<>();
    for (Path f : files) {
      String rel = f == null ? null : LocalModelSource.pathInside(model, f);
      if (rel != null && !s.walk().isIgnored(rel)) {
        inside.add(rel);
      }
    }
    return inside.isEmpty() ? s : s.withWalk(s.walk().ignoring(inside));
  }

  /**
   * Signs {@code statement}; writes it to {@code output} and appends it to {@code claims} (either
   * may be null); returns the envelope's JSON.
   */
  static byte[] write(SigningKey key, AttestationStatement statement, Path output, Path claims)
      throws ModelsealException {
    Envelope e = MetricsAttester.withKey(key).sign(statement);
    byte[] json;
    try {
      json = StrictJson.mapper().writeValueAsBytes(e.toJson());
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
    if (output != null) {
      AtomicFiles.write(output, json);
    }
    if (claims != null) {
      ClaimsFile.append(claims, ClaimsFile.compact(json));
    }
    return json;
  }
}
