package dev.modelseal.oms;

import dev.modelseal.ModelsealException;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.dsse.Pae;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.PublishCheck;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.source.LocalModelSource;
import dev.modelseal.source.ModelSource;
import dev.modelseal.source.SignatureFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The one verifier of OMS signatures: for every {@link TrustPolicy} (a public key, trust anchors, a
 * keyless identity) and every {@link ModelSource} (a local file or directory, an S3 prefix, a
 * registry), the same steps in the same order.
 *
 * <pre>{@code
 * OmsVerifier v = OmsVerifier.create(TrustPolicy.publicKey(PemFiles.readPublicKey(Path.of("pub.pem"))));
 * try (VerifiedModel m = v.open(Path.of("models/resnet"), null)) {
 *   byte[] weights = m.readAllBytes("model.safetensors"); // exactly the verified bytes
 * }
 * }</pre>
 *
 * <p>Checks, in order: the bundle's structure and media/payload types ({@link OmsBundle}); that its
 * verification material is of the policy's method; the key hint (when present), the certificate
 * chain (leaf valid at the verification time, PKIX path to an anchor with revocation off, leaf
 * usage digitalSignature or codeSigning) or the keyless checks ({@link KeylessVerification}); the
 * signature over the payload bytes as received; only then the statement ({@link VerifiedStatement}:
 * an edited statement fails as a bad signature, never as a malformed one); then the model's files,
 * read once from the source, against the signed digests (recorded ignore paths re-applied, the
 * signature file left out); then, when asked ({@link #checking}), a check of the verified copy such
 * as a scan. Any failure throws: {@link SignatureVerificationException} for the bundle, {@link
 * dev.modelseal.pin.ModelMismatchException} (naming modified, missing and extra files) for the
 * model.
 *
 * <p>Relaxations are explicit: {@link #ignoring} (leave out more paths), {@link
 * #ignoreUnsignedFiles()} (files not in the signature are not read), {@link #at} (check
 * certificates at another time, e.g. for historical bundles whose leaf has expired since). Bundles
 * of {@code model_signing} 0.2.x are verified with their own signing encoding only when their
 * payload names that version's predicate type (and never for keyless bundles).
 */
public final class OmsVerifier {
  private final TrustPolicy trust;
  private final List<String> ignore;
  private final boolean ignoreUnsigned;
  private final HashProgress progress;
  private final PublishCheck check;

  private OmsVerifier(
      TrustPolicy trust,
      List<String> ignore,
      boolean ignoreUnsigned,
      HashProgress progress,
      PublishCheck check) {
    this.trust = trust;
    this.ignore = List.copyOf(ignore);
    this.ignoreUnsigned = ignoreUnsigned;
    this.progress = progress;
    this.check = check;
  }

  /** A verifier accepting only bundles that {@code trust} accepts. */
  public static OmsVerifier create(TrustPolicy trust) {
    return new OmsVerifier(
        Objects.requireNonNull(trust, "trust"), List.of(), false, HashProgress.NONE, null);
  }

  /** A verifier of the key method: the bundle must be signed by {@code key}. */
  public static OmsVerifier withPublicKey(VerificationKey key) {
    return create(TrustPolicy.publicKey(key));
  }

  /**
   * A verifier of the certificate method: the bundle's chain must lead to one of {@code anchors}.
   *
   * @throws IllegalArgumentException when no anchor is given
   */
  public static OmsVerifier withTrustAnchors(List<X509Certificate> anchors) {
    return create(TrustPolicy.certificateChain(anchors));
  }

  /** The policy this verifier applies. */
  public TrustPolicy trust() {
    return trust;
  }

  /** Also leaves out these paths (relative to the model root) when reading the model. */
  public OmsVerifier ignoring(List<String> paths) {
    List<String> all = new ArrayList<>(ignore);
    all.addAll(paths);
    return new OmsVerifier(trust, all, ignoreUnsigned, progress, check);
  }

  /** Files on disk that the signature does not list are left out instead of failing as extra. */
  public OmsVerifier ignoreUnsignedFiles() {
    return new OmsVerifier(trust, ignore, true, progress, check);
  }

  /**
   * Checks certificate validity at {@code time} instead of now: for historical bundles whose
   * certificates have expired since they were made. Without it, an expired leaf fails.
   *
   * @throws IllegalStateException when the policy is not a {@link TrustPolicy.CertificateChain}
   */
  public OmsVerifier at(Instant time) {
    if (!(trust instanceof TrustPolicy.CertificateChain chain)) {
      throw new IllegalStateException("a verification time applies to trust anchors only");
    }
    return new OmsVerifier(chain.at(time), ignore, ignoreUnsigned, progress, check);
  }

  /** The same verifier reporting hashing progress to {@code p}. */
  public OmsVerifier withProgress(HashProgress p) {
    return new OmsVerifier(trust, ignore, ignoreUnsigned, Objects.requireNonNull(p), check);
  }

  /**
   * The same verifier also running {@code last} (a scan for code that would run on load, say) on
   * the verified copy: {@link #check} then reads the model into a private copy, verifies it, runs
   * {@code last} on exactly those bytes and deletes the copy.
   */
  public OmsVerifier checking(PublishCheck last) {
    return new OmsVerifier(trust, ignore, ignoreUnsigned, progress, Objects.requireNonNull(last));
  }

  /**
   * Verifies the signature and the model, copying the model into a private directory while hashing
   * it, and returns the handle on exactly those bytes.
   *
   * @param signature the bundle file, or null for {@link OmsSigner#defaultSignaturePath}
   */
  public VerifiedModel open(Path model, Path signature) throws ModelsealException {
    return open(LocalModelSource.of(model), signature == null ? null : signature.toString());
  }

  /**
   * Verifies the signature and the model where it is, without handing out its content (for the
   * command-line tool and health checks; loaders use {@link #open}).
   *
   * <p>Hashes once, after the signature is verified; a caller that wants the hash to overlap the
   * reading of keys and bundle asks for it explicitly with {@link #check(Path, Path,
   * SpeculativeHash)}.
   *
   * @return the manifest of the model as read
   */
  public Manifest check(Path model, Path signature) throws ModelsealException {
    return check(model, signature, null);
  }

  /**
   * Like {@link #check(Path, Path)}, using {@code early} (started by the caller, for example before
   * it read the keys; may be null) when the signed serialization hashes like it, and otherwise
   * cancelling it and hashing again. Either way the model is compared with the signed manifest.
   */
  public Manifest check(Path model, Path signature, SpeculativeHash early)
      throws ModelsealException {
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    try {
      if (check != null) {
        return check(LocalModelSource.of(model), sig.toString());
      }
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
   * Verifies the signature and the model read from {@code source} (kept nowhere), then runs the
   * {@link #checking} check, if any, on a verified private copy.
   *
   * @param signature where the bundle lives, as {@code source} reads it; null for its default
   * @return the manifest of the model as read
   */
  public Manifest check(ModelSource source, String signature) throws ModelsealException {
    ModelPin pin = pin(source, signature);
    if (check == null) {
      return source.check(pin);
    }
    try (VerifiedModel vm = source.open(pin)) {
      check.check(vm);
      return vm.manifest();
    }
  }

  /**
   * Verifies the signature and the model read from {@code source} into a private copy, runs the
   * {@link #checking} check, if any, and returns the handle on exactly those bytes.
   */
  public VerifiedModel open(ModelSource source, String signature) throws ModelsealException {
    VerifiedModel vm = source.open(pin(source, signature));
    if (check != null) {
      try {
        check.check(vm);
      } catch (ModelsealException | RuntimeException e) {
        vm.close();
        throw e;
      }
    }
    return vm;
  }

  /**
   * Reads the signature through {@code source}, verifies it and returns the pin the model must
   * match (for a caller that streams the model itself, such as a pull that publishes it).
   */
  public ModelPin pin(ModelSource source, String signature) throws ModelsealException {
    SignatureFile file = source.readSignature(signature, OmsBundle.DEFAULT_MAX_BYTES);
    byte[] bytes = file.bytes();
    if (bytes.length > OmsBundle.DEFAULT_MAX_BYTES) {
      throw OmsBundle.tooLarge(file.name(), OmsBundle.DEFAULT_MAX_BYTES);
    }
    VerifiedStatement st = verifyStatement(OmsBundle.parse(bytes, file.name()));
    List<String> all = new ArrayList<>(ignore);
    file.insideModel().ifPresent(all::add);
    return st.pin(source.singleFileName(), all, ignoreUnsigned).withProgress(progress);
  }

  /**
   * Verifies a bundle's signature and statement (not the model) and returns the pin the model must
   * match.
   *
   * @param model the model path (to tell a single file from a directory and resolve paths)
   * @param signature where the bundle lives (left out of the model when inside it)
   */
  public ModelPin pin(Path model, Path signature, OmsBundle bundle) throws ModelsealException {
    VerifiedStatement st = verifyStatement(bundle);
    List<String> all = new ArrayList<>(ignore);
    String inside = LocalModelSource.pathInside(model, signature);
    if (inside != null) {
      all.add(inside);
    }
    return st.pin(LocalModelSource.of(model).singleFileName(), all, ignoreUnsigned)
        .withProgress(progress);
  }

  /**
   * Verifies a bundle's signature, then reads its statement: everything but the model.
   *
   * @throws SignatureVerificationException naming the failed check
   */
  public VerifiedStatement verifyStatement(OmsBundle bundle) throws ModelsealException {
    Path src = bundle.source().orElse(null);
    requireMethod(bundle, src);
    Envelope env = bundle.envelope();
    boolean legacyEncoding = false;
    if (trust instanceof TrustPolicy.PublicKey k) {
      checkKeyMaterial(k.key(), bundle, src);
      legacyEncoding = verifySignature(k.key(), false, env, src);
    } else if (trust instanceof TrustPolicy.CertificateChain c) {
      VerificationKey leaf =
          CertificateChecks.verify(bundle.certificates(), c.anchors(), c.time().orElse(null), src);
      legacyEncoding = verifySignature(leaf, true, env, src);
    } else {
      KeylessVerification.installed()
          .verify((TrustPolicy.Keyless) trust, bundle.rawBytes(), env, src);
    }
    OmsStatement st = OmsStatement.read(env.payload(), src);
    if (st.legacy() && trust instanceof TrustPolicy.Keyless) {
      throw new SignatureVerificationException(
          src,
          Failure.WRONG_PREDICATE_TYPE,
          "legacy statements are not accepted in keyless bundles");
    }
    if (legacyEncoding && !st.legacy()) {
      throw badSignature(src);
    }
    return VerifiedStatement.afterSignature(st, bundle.method(), src);
  }

  /**
   * Verifies the envelope's signature with {@code signer}; true when it verified only with the
   * legacy encoding of {@code model_signing} 0.2.x, tried only when the payload names that
   * version's predicate type.
   */
  private boolean verifySignature(
      VerificationKey signer, boolean certificateMethod, Envelope env, Path src)
      throws SignatureVerificationException {
    byte[] sig = env.signatures().get(0).sig();
    try {
      signer.verify(env.pae(), sig);
      return false;
    } catch (SignatureException e) {
      if (!namesLegacyPredicate(env.payload())) {
        throw badSignature(src);
      }
    }
    byte[] legacyPae = Pae.encodeLegacyPython(env.payloadType(), env.payload());
    try {
      if (certificateMethod) {
        signer.verifyLegacyEcdsaSha256(legacyPae, sig);
      } else {
        signer.verify(legacyPae, sig);
      }
      return true;
    } catch (SignatureException e) {
      throw badSignature(src);
    }
  }

  /** Whether the (still unverified) payload names the legacy predicate type; nothing else read. */
  private static boolean namesLegacyPredicate(byte[] payload) {
    try {
      com.fasterxml.jackson.databind.JsonNode pt =
          StrictJson.parseObject(payload).get("predicateType");
      return pt != null && pt.isTextual() && pt.textValue().equals(OmsFormat.LEGACY_PREDICATE_TYPE);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private SignatureVerificationException badSignature(Path src) {
    return new SignatureVerificationException(
        src,
        Failure.BAD_SIGNATURE,
        trust instanceof TrustPolicy.PublicKey
            ? "the signature does not verify with the given public key"
            : "the signature does not verify with the leaf certificate's key");
  }

  private void requireMethod(OmsBundle bundle, Path src) throws SignatureVerificationException {
    if (bundle.method() == trust.method()) {
      return;
    }
    String given =
        trust instanceof TrustPolicy.PublicKey
            ? "a public key was given"
            : trust instanceof TrustPolicy.CertificateChain
                ? "trust anchors were given"
                : "keyless (Sigstore) verification was asked for";
    String has =
        switch (bundle.method()) {
          case KEY -> "a public key (key method)";
          case CERTIFICATE -> "a certificate chain (certificate method)";
          case SIGSTORE -> "a keyless Sigstore certificate (sigstore method)";
        };
    throw new SignatureVerificationException(
        src, Failure.WRONG_METHOD, "the bundle was signed with " + has + ", but " + given);
  }

  private static void checkKeyMaterial(VerificationKey key, OmsBundle bundle, Path src)
      throws SignatureVerificationException {
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
