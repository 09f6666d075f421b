package dev.modelseal.oms;

import dev.modelseal.ModelsealException;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.dsse.Pae;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Verifies OMS signatures with a public key (key method) or trust anchors (certificate method).
 *
 * <pre>{@code
 * OmsVerifier v = OmsVerifier.withPublicKey(PemFiles.readPublicKey(Path.of("pub.pem")));
 * try (VerifiedModel m = v.open(Path.of("models/resnet"), null)) {
 *   byte[] weights = m.readAllBytes("model.safetensors"); // exactly the verified bytes
 * }
 * }</pre>
 *
 * <p>Checks, in order: the bundle's structure and media/payload types ({@link OmsBundle}); that its
 * verification material is of this verifier's method; the statement ({@link OmsStatement#read});
 * the key hint (when present) or the certificate chain (leaf valid at the verification time, PKIX
 * path to an anchor with revocation off, leaf usage digitalSignature or codeSigning); the signature
 * over the payload bytes as received; then the model's files, hashed once, against the signed
 * digests (recorded ignore paths re-applied, the signature file left out). Any failure throws:
 * {@link SignatureVerificationException} for the bundle, {@link
 * dev.modelseal.pin.ModelMismatchException} (naming modified, missing and extra files) for the
 * model.
 *
 * <p>Relaxations are explicit: {@link #ignoring} (leave out more paths), {@link
 * #ignoreUnsignedFiles()} (files not in the signature are not read), {@link #at} (check
 * certificates at another time, e.g. for historical bundles whose leaf has expired since). Bundles
 * of {@code model_signing} 0.2.x are verified with their own signing encoding only when their
 * statement is of that version's predicate type.
 */
public final class OmsVerifier {
  private final VerificationKey key;
  private final List<X509Certificate> anchors;
  private final List<String> ignore;
  private final boolean ignoreUnsigned;
  private final Instant at;
  private final HashProgress progress;

  private OmsVerifier(
      VerificationKey key,
      List<X509Certificate> anchors,
      List<String> ignore,
      boolean ignoreUnsigned,
      Instant at,
      HashProgress progress) {
    this.key = key;
    this.anchors = List.copyOf(anchors);
    this.ignore = List.copyOf(ignore);
    this.ignoreUnsigned = ignoreUnsigned;
    this.at = at;
    this.progress = progress;
  }

  /** A verifier of the key method: the bundle must be signed by {@code key}. */
  public static OmsVerifier withPublicKey(VerificationKey key) {
    return new OmsVerifier(
        Objects.requireNonNull(key), List.of(), List.of(), false, null, HashProgress.NONE);
  }

  /**
   * A verifier of the certificate method: the bundle's chain must lead to one of {@code anchors}.
   *
   * @throws IllegalArgumentException when no anchor is given
   */
  public static OmsVerifier withTrustAnchors(List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is needed");
    }
    return new OmsVerifier(null, anchors, List.of(), false, null, HashProgress.NONE);
  }

  /** Also leaves out these paths (relative to the model root) when reading the model. */
  public OmsVerifier ignoring(List<String> paths) {
    List<String> all = new ArrayList<>(ignore);
    all.addAll(paths);
    return new OmsVerifier(key, anchors, all, ignoreUnsigned, at, progress);
  }

  /** Files on disk that the signature does not list are left out instead of failing as extra. */
  public OmsVerifier ignoreUnsignedFiles() {
    return new OmsVerifier(key, anchors, ignore, true, at, progress);
  }

  /**
   * Checks certificate validity at {@code time} instead of now: for historical bundles whose
   * certificates have expired since they were made. Without it, an expired leaf fails.
   */
  public OmsVerifier at(Instant time) {
    return new OmsVerifier(
        key, anchors, ignore, ignoreUnsigned, Objects.requireNonNull(time), progress);
  }

  /** The same verifier reporting hashing progress to {@code p}. */
  public OmsVerifier withProgress(HashProgress p) {
    return new OmsVerifier(key, anchors, ignore, ignoreUnsigned, at, Objects.requireNonNull(p));
  }

  /**
   * Verifies the signature and the model, copying the model into a private directory while hashing
   * it, and returns the handle on exactly those bytes.
   *
   * @param signature the bundle file, or null for {@link OmsSigner#defaultSignaturePath}
   */
  public VerifiedModel open(Path model, Path signature) throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    return pin(model, sig, OmsBundle.read(sig)).open(model);
  }

  /**
   * Verifies the signature and the model where it is, without handing out its content (for the
   * command-line tool and health checks; loaders use {@link #open}).
   *
   * @return the manifest of the model as read
   */
  public Manifest check(Path model, Path signature) throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    return check(
        model, sig, ignoreUnsigned ? null : SpeculativeHash.start(model, sig, ignore, progress));
  }

  /**
   * Like {@link #check(Path, Path)}, using {@code early} (started by the caller, for example before
   * it read the keys; may be null) when the signed serialization hashes like it.
   */
  public Manifest check(Path model, Path signature, SpeculativeHash early)
      throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    try {
      ModelPin pin = pin(model, sig, OmsBundle.read(sig));
      if (early != null && pin.serialization().hashesLike(early.serialization())) {
        return pin.check(model, early.manifest());
      }
      return pin.check(model);
    } finally {
      if (early != null) {
        early.cancel();
      }
    }
  }

  /**
   * Verifies a bundle's signature and statement (not the model) and returns the pin the model must
   * match.
   *
   * @param model the model path (to tell a single file from a directory and resolve paths)
   * @param signature where the bundle lives (left out of the model when inside it)
   */
  public ModelPin pin(Path model, Path signature, OmsBundle bundle) throws ModelsealException {
    OmsStatement st = verifyStatement(bundle);
    return ModelBinding.pin(st, model, signature, ignore, ignoreUnsigned).withProgress(progress);
  }

  /**
   * Verifies a bundle's signature and reads its statement: everything but the model.
   *
   * @throws SignatureVerificationException naming the failed check
   */
  public OmsStatement verifyStatement(OmsBundle bundle) throws ModelsealException {
    Path src = bundle.source().orElse(null);
    requireMethod(bundle, src);
    Envelope env = bundle.envelope();
    OmsStatement st = OmsStatement.read(env.payload(), src);
    VerificationKey signer;
    boolean certificateMethod = false;
    if (key != null) {
      checkKeyMaterial(bundle, src);
      signer = key;
    } else {
      signer = CertificateChecks.verify(bundle.certificates(), anchors, at, src);
      certificateMethod = true;
    }
    byte[] sig = env.signatures().get(0).sig();
    boolean ok = signer.verify(env.pae(), sig);
    if (!ok && st.legacy()) {
      byte[] legacyPae = Pae.encodeLegacyPython(env.payloadType(), env.payload());
      ok =
          certificateMethod
              ? signer.verifyLegacyEcdsaSha256(legacyPae, sig)
              : signer.verify(legacyPae, sig);
    }
    if (!ok) {
      throw new SignatureVerificationException(
          src,
          Failure.BAD_SIGNATURE,
          key != null
              ? "the signature does not verify with the given public key"
              : "the signature does not verify with the leaf certificate's key");
    }
    return st;
  }

  private void requireMethod(OmsBundle bundle, Path src) throws SignatureVerificationException {
    OmsBundle.Method wanted = key != null ? OmsBundle.Method.KEY : OmsBundle.Method.CERTIFICATE;
    if (bundle.method() == wanted) {
      return;
    }
    String given = key != null ? "a public key was given" : "trust anchors were given";
    String has =
        switch (bundle.method()) {
          case KEY -> "a public key (key method)";
          case CERTIFICATE -> "a certificate chain (certificate method)";
          case SIGSTORE -> "a keyless Sigstore certificate (sigstore method)";
        };
    throw new SignatureVerificationException(
        src, Failure.WRONG_METHOD, "the bundle was signed with " + has + ", but " + given);
  }

  private void checkKeyMaterial(OmsBundle bundle, Path src) throws SignatureVerificationException {
    if (bundle.keyHint().isPresent()) {
      byte[] want = bundle.keyHint().get().getBytes(StandardCharsets.UTF_8);
      byte[] have = key.hint().getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(want, have)) {
        throw new SignatureVerificationException(
            src,
            Failure.KEY_MISMATCH,
            "the bundle names key " + bundle.keyHint().get() + ", not the given key " + key.hint());
      }
    }
    if (bundle.keyRawBytes().isPresent()) {
      byte[] der = rawKeyDer(bundle.keyRawBytes().get());
      if (der == null || !MessageDigest.isEqual(der, key.encoded())) {
        throw new SignatureVerificationException(
            src, Failure.KEY_MISMATCH, "the bundle carries another public key than the given one");
      }
    }
  }

  /** The DER of a legacy {@code rawBytes} public key (PEM text, or DER), or null. */
  private static byte[] rawKeyDer(byte[] raw) {
    String text = new String(raw, StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN")) {
      return raw;
    }
    try (PemReader r = new PemReader(new StringReader(text))) {
      PemObject o = r.readPemObject();
      return o != null && o.getType().equals("PUBLIC KEY") ? o.getContent() : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
