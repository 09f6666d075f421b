package dev.modelseal.sigstore;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.TrustPolicy;
import dev.modelseal.oms.VerifiedStatement;
import dev.modelseal.pin.VerifiedModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Verifies keyless (Sigstore) OMS signatures offline: a shorthand for {@code
 * OmsVerifier.create(TrustPolicy.keyless(...))}, which works the same once this module is on the
 * class path, that loads the trusted root at once.
 *
 * <pre>{@code
 * SigstoreVerifier v = SigstoreVerifier.create(
 *     Path.of("trusted_root.json"), "alice@example.com", "https://accounts.google.com");
 * try (VerifiedModel m = v.open(Path.of("models/resnet"), null)) { ... }
 * }</pre>
 *
 * <p>The identity (the certificate's subject alternative name, an e-mail address or URI) and the
 * OIDC issuer are required and matched exactly: without them anyone with a Sigstore certificate
 * would be accepted. Order of checks: modelseal's strict bundle reader (which refuses bundles of
 * another method and keyless bundles without log entries); the DSSE signature over the payload
 * bytes with the leaf's key (JDK); sigstore-java's keyless verification against the trusted root
 * ({@link SigstoreKeylessVerification}); the statement, read strictly; then the model's files.
 */
public final class SigstoreVerifier {
  private final OmsVerifier verifier;

  private SigstoreVerifier(OmsVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * A verifier trusting the Sigstore instance described by {@code trustedRoot} (a {@code
   * trusted_root.json}), accepting only certificates for {@code identity} issued through {@code
   * issuer}.
   *
   * @throws dev.modelseal.InvalidInputException when the trusted root cannot be used, or identity
   *     or issuer is empty
   */
  public static SigstoreVerifier create(Path trustedRoot, String identity, String issuer)
      throws ModelsealException {
    TrustPolicy.Keyless policy = TrustPolicy.keyless(trustedRoot, identity, issuer);
    new SigstoreKeylessVerification().checkTrustedRoot(policy);
    return new SigstoreVerifier(OmsVerifier.create(policy));
  }

  /** Also leaves out these paths (relative to the model root) when reading the model. */
  public SigstoreVerifier ignoring(List<String> paths) {
    return new SigstoreVerifier(verifier.ignoring(paths));
  }

  /** Files on disk that the signature does not list are left out instead of failing as extra. */
  public SigstoreVerifier ignoreUnsignedFiles() {
    return new SigstoreVerifier(verifier.ignoreUnsignedFiles());
  }

  /** The same verifier reporting hashing progress to {@code p}. */
  public SigstoreVerifier withProgress(HashProgress p) {
    return new SigstoreVerifier(verifier.withProgress(p));
  }

  /** The {@link OmsVerifier} this is, for any {@link dev.modelseal.source.ModelSource}. */
  public OmsVerifier verifier() {
    return verifier;
  }

  /** Verifies signature and model, and returns the handle on exactly the verified bytes. */
  public VerifiedModel open(Path model, Path signature) throws ModelsealException {
    return verifier.open(model, signature);
  }

  /** Verifies signature and model where it is; returns the manifest of the model as read. */
  public Manifest check(Path model, Path signature) throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    return verifier.check(model, sig, null);
  }

  /**
   * Verifies a keyless bundle file (not the model) and returns its statement.
   *
   * @throws dev.modelseal.oms.SignatureVerificationException naming the failed check
   */
  public VerifiedStatement verifyStatement(Path sig) throws ModelsealException {
    return verifier.verifyStatement(OmsBundle.read(sig));
  }

  @Override
  public String toString() {
    return "SigstoreVerifier[" + verifier.trust() + "]";
  }
}
