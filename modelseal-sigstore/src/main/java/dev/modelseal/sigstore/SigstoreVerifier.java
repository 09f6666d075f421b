package dev.modelseal.sigstore;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.oms.ModelBinding;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsStatement;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.strings.StringMatcher;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies keyless (Sigstore) OMS signatures offline.
 *
 * <pre>{@code
 * SigstoreVerifier v = SigstoreVerifier.create(
 *     Path.of("trusted_root.json"), "alice@example.com", "https://accounts.google.com");
 * try (VerifiedModel m = v.open(Path.of("models/resnet"), null)) { ... }
 * }</pre>
 *
 * <p>The identity (the certificate's subject alternative name, an e-mail address or URI) and the
 * OIDC issuer are required and matched exactly: without them anyone with a Sigstore certificate
 * would be accepted. Order of checks: modelseal's strict bundle and statement readers (which refuse
 * bundles of another method and keyless bundles without log entries); sigstore-java's keyless
 * verification against the trusted root, with the statement's root digest as the artifact digest;
 * the DSSE signature over the payload bytes with the leaf's key (JDK); then the model's files.
 */
public final class SigstoreVerifier {
  private final KeylessVerifier verifier;
  private final VerificationOptions options;
  private final String identity;
  private final String issuer;
  private final List<String> ignore;
  private final boolean ignoreUnsigned;
  private final HashProgress progress;

  private SigstoreVerifier(
      KeylessVerifier verifier,
      String identity,
      String issuer,
      List<String> ignore,
      boolean ignoreUnsigned,
      HashProgress progress) {
    this.verifier = verifier;
    this.identity = identity;
    this.issuer = issuer;
    this.options =
        VerificationOptions.builder()
            .addCertificateMatchers(
                VerificationOptions.CertificateMatcher.fulcio()
                    .subjectAlternativeName(StringMatcher.string(identity))
                    .issuer(StringMatcher.string(issuer))
                    .build())
            .build();
    this.ignore = List.copyOf(ignore);
    this.ignoreUnsigned = ignoreUnsigned;
    this.progress = progress;
  }

  /**
   * A verifier trusting the Sigstore instance described by {@code trustedRoot} (a {@code
   * trusted_root.json}), accepting only certificates for {@code identity} issued through {@code
   * issuer}.
   *
   * @throws InvalidInputException when the trusted root cannot be used, or identity or issuer is
   *     empty
   */
  public static SigstoreVerifier create(Path trustedRoot, String identity, String issuer)
      throws ModelsealException {
    if (identity == null || identity.isBlank() || issuer == null || issuer.isBlank()) {
      throw new InvalidInputException(null, "keyless verification needs an identity and an issuer");
    }
    if (!Files.isRegularFile(trustedRoot)) {
      throw new InvalidInputException(trustedRoot, "no such trusted-root file");
    }
    try {
      KeylessVerifier v =
          KeylessVerifier.builder()
              .trustedRootProvider(TrustedRootProvider.from(trustedRoot))
              .build();
      return new SigstoreVerifier(v, identity, issuer, List.of(), false, HashProgress.NONE);
    } catch (Exception e) { // sigstore-java throws several checked and unchecked types here
      throw new InvalidInputException(trustedRoot, "unusable trusted root: " + e.getMessage(), e);
    }
  }

  /** Also leaves out these paths (relative to the model root) when reading the model. */
  public SigstoreVerifier ignoring(List<String> paths) {
    List<String> all = new ArrayList<>(ignore);
    all.addAll(paths);
    return new SigstoreVerifier(verifier, identity, issuer, all, ignoreUnsigned, progress);
  }

  /** Files on disk that the signature does not list are left out instead of failing as extra. */
  public SigstoreVerifier ignoreUnsignedFiles() {
    return new SigstoreVerifier(verifier, identity, issuer, ignore, true, progress);
  }

  /** The same verifier reporting hashing progress to {@code p}. */
  public SigstoreVerifier withProgress(HashProgress p) {
    return new SigstoreVerifier(
        verifier, identity, issuer, ignore, ignoreUnsigned, Objects.requireNonNull(p));
  }

  /** Verifies signature and model, and returns the handle on exactly the verified bytes. */
  public VerifiedModel open(Path model, Path signature) throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    return pin(model, sig).open(model);
  }

  /** Verifies signature and model where it is; returns the manifest of the model as read. */
  public Manifest check(Path model, Path signature) throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    return pin(model, sig).check(model);
  }

  private ModelPin pin(Path model, Path sig) throws ModelsealException {
    OmsStatement st = verifyStatement(sig);
    return ModelBinding.pin(st, model, sig, ignore, ignoreUnsigned).withProgress(progress);
  }

  /**
   * Verifies a keyless bundle file (not the model) and returns its statement.
   *
   * @throws SignatureVerificationException naming the failed check
   */
  public OmsStatement verifyStatement(Path sig) throws ModelsealException {
    byte[] bytes = OmsBundle.readBytes(sig, OmsBundle.DEFAULT_MAX_BYTES);
    OmsBundle ours = OmsBundle.parse(bytes, sig);
    if (ours.method() != OmsBundle.Method.SIGSTORE) {
      throw new SignatureVerificationException(
          sig,
          Failure.WRONG_METHOD,
          "the bundle was signed with "
              + (ours.method() == OmsBundle.Method.KEY ? "a public key" : "a certificate chain")
              + ", but keyless (Sigstore) verification was asked for");
    }
    Envelope env = ours.envelope();
    OmsStatement st = OmsStatement.read(env.payload(), sig);
    if (st.legacy()) {
      throw new SignatureVerificationException(
          sig,
          Failure.WRONG_PREDICATE_TYPE,
          "legacy statements are not accepted in keyless bundles");
    }
    Bundle bundle;
    try {
      bundle =
          Bundle.from(
              new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
    } catch (BundleParseException | RuntimeException e) {
      throw new SignatureVerificationException(
          sig, Failure.MALFORMED_BUNDLE, "not a Sigstore bundle: " + e.getMessage());
    }
    try {
      verifier.verify(st.root().bytes(), bundle, options);
    } catch (KeylessVerificationException e) {
      throw new SignatureVerificationException(
          sig, Failure.BAD_SIGNATURE, "keyless verification failed: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new SignatureVerificationException(
          sig, Failure.BAD_SIGNATURE, "keyless verification failed: " + e);
    }
    // Defense in depth: the DSSE signature over the exact payload bytes, by the JDK.
    VerificationKey leaf;
    try {
      leaf = VerificationKey.of(bundle.getCertPath().getCertificates().get(0).getPublicKey());
    } catch (InvalidInputException e) {
      throw new SignatureVerificationException(sig, Failure.UNSUPPORTED_KEY, e.reason());
    }
    if (!leaf.verify(env.pae(), env.signatures().get(0).sig())) {
      throw new SignatureVerificationException(
          sig, Failure.BAD_SIGNATURE, "the signature does not verify with the certificate's key");
    }
    return st;
  }

  @Override
  public String toString() {
    return "SigstoreVerifier[" + identity + " via " + issuer + "]";
  }
}
