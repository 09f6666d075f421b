package dev.modelseal.oms;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.dsse.Pae;
import dev.modelseal.dsse.Signature;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.source.LocalModelSource;
import dev.modelseal.walk.ModelFile;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Signs a model as an OMS v1.0 bundle: {@code files} serialization, SHA-256, resources in
 * code-point order, ignore paths recorded, the signature file itself left out of the model.
 *
 * <pre>{@code
 * SigningKey key = PemFiles.readPrivateKey(Path.of("key.pem"), null);
 * Path sig = OmsSigner.withKey(key).signTo(Path.of("models/resnet"), null, WalkOptions.defaults());
 * }</pre>
 *
 * <p>The statement bytes depend only on the model's files and the options ({@link
 * OmsStatement#write}); the signature is made by the JDK over their DSSE encoding. With a
 * certificate chain the leaf's key must be the signing key.
 */
public final class OmsSigner {
  private final SigningKey key;
  private final List<X509Certificate> chain;
  private final HashProgress progress;

  private OmsSigner(SigningKey key, List<X509Certificate> chain, HashProgress progress) {
    this.key = key;
    this.chain = List.copyOf(chain);
    this.progress = progress;
  }

  /** A signer of the key method: the bundle names the key by its hint. */
  public static OmsSigner withKey(SigningKey key) {
    return new OmsSigner(Objects.requireNonNull(key), List.of(), HashProgress.NONE);
  }

  /**
   * A signer of the certificate method: the bundle carries {@code chain}, leaf first.
   *
   * @throws InvalidInputException when the chain is empty or the leaf's key is not {@code key}
   */
  public static OmsSigner withCertificates(SigningKey key, List<X509Certificate> chain)
      throws InvalidInputException {
    if (chain.isEmpty() || chain.size() > OmsBundle.MAX_CHAIN) {
      throw new InvalidInputException(
          null, "a certificate chain holds 1 to " + OmsBundle.MAX_CHAIN + " certificates");
    }
    VerificationKey leafKey = VerificationKey.of(chain.get(0).getPublicKey());
    if (!leafKey.sameKey(key.verificationKey())) {
      throw new InvalidInputException(null, "the leaf certificate is not for this private key");
    }
    return new OmsSigner(key, chain, HashProgress.NONE);
  }

  /** The same signer reporting hashing progress to {@code p}. */
  public OmsSigner withProgress(HashProgress p) {
    return new OmsSigner(key, chain, Objects.requireNonNull(p));
  }

  /** Where a model's signature goes by default: {@code DIR/model.sig}, or {@code FILE.sig}. */
  public static Path defaultSignaturePath(Path model) {
    return LocalModelSource.defaultSignature(model);
  }

  /**
   * The resource name of {@code signature} inside {@code model}, or null when it is not inside (or
   * the model is a single file).
   */
  static String relativeInside(Path model, Path signature) {
    return LocalModelSource.pathInside(model, signature);
  }

  /**
   * Signs {@code model} and returns the bundle. The walk options' ignore paths are recorded.
   *
   * @throws InvalidInputException when the model is empty after exclusions, or breaks a walk rule
   */
  public OmsBundle sign(Path model, WalkOptions walk) throws ModelsealException {
    ModelTree tree = ModelWalker.with(walk).walk(model);
    requireVerifiableSize(model, tree);
    Serialization s = Serialization.files(HashAlgorithm.SHA256, walk);
    Manifest m = ModelHasher.of(s).progress(progress).hash(tree);
    return sign(m);
  }

  /**
   * The bytes each resource takes in the statement at least: {@code
   * {"name":"","algorithm":"sha256","digest":"<64 hex>"},} plus the name's UTF-8 bytes.
   */
  private static final int STATEMENT_BYTES_PER_RESOURCE = 109;

  /**
   * Refuses, before hashing, a model whose signature verification would refuse to read: a lower
   * bound of the bundle's size (the statement's resource list, base64-encoded in the envelope) is
   * computed from the resource names and compared with {@link OmsBundle#DEFAULT_MAX_BYTES}. A
   * bundle that passes this bound but still comes out larger is refused by {@link OmsBundle#write}.
   */
  static void requireVerifiableSize(Path model, ModelTree tree) throws InvalidInputException {
    long statement = 0;
    for (ModelFile f : tree.files()) {
      statement += STATEMENT_BYTES_PER_RESOURCE + f.name().getBytes(StandardCharsets.UTF_8).length;
    }
    long bundle = statement / 3 * 4;
    if (bundle > OmsBundle.DEFAULT_MAX_BYTES) {
      throw new InvalidInputException(
          model,
          tree.files().size()
              + " files: the signature would be over "
              + bundle
              + " bytes, more than the "
              + OmsBundle.DEFAULT_MAX_BYTES
              + " that verification reads: refused (leave files out with --ignore, or sign"
              + " subdirectories separately)");
    }
  }

  /** Signs an already computed manifest (its resources must describe bytes that were read). */
  public OmsBundle sign(Manifest manifest) {
    byte[] payload = OmsStatement.write(manifest);
    byte[] sig = key.sign(Pae.encode(OmsFormat.PAYLOAD_TYPE, payload));
    Envelope env = Envelope.of(OmsFormat.PAYLOAD_TYPE, payload, List.of(Signature.of(sig, "")));
    return chain.isEmpty()
        ? OmsBundle.forKey(key.verificationKey().hint(), env)
        : OmsBundle.forCertificates(chain, env);
  }

  /**
   * Signs {@code model} and writes the bundle to {@code signature} (null for {@link
   * #defaultSignaturePath}). A signature file inside the model is left out of it and recorded as an
   * ignore path.
   *
   * @return the signature file written
   */
  public Path signTo(Path model, Path signature, WalkOptions walk) throws ModelsealException {
    return write(model, signature, walk).signature();
  }

  /**
   * What {@link #write} did: the signature file written, the manifest it signs (its root is the
   * statement's subject digest), and the resource name of the signature file when it lies inside
   * the model (left out of the hash and recorded as an ignore path), else null.
   */
  public record Written(Path signature, Manifest manifest, String excludedSignature) {}

  /** {@link #signTo}, returning what was signed as well as where. */
  public Written write(Path model, Path signature, WalkOptions walk) throws ModelsealException {
    Path sig = signature != null ? signature : defaultSignaturePath(model);
    String inside = relativeInside(model, sig);
    WalkOptions w = inside == null ? walk : walk.ignoring(List.of(inside));
    ModelTree tree = ModelWalker.with(w).walk(model);
    requireVerifiableSize(model, tree);
    Serialization s = Serialization.files(HashAlgorithm.SHA256, w);
    Manifest m = ModelHasher.of(s).progress(progress).hash(tree);
    sign(m).write(sig);
    return new Written(sig, m, inside);
  }
}
