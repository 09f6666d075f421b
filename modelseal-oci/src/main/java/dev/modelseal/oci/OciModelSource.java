package dev.modelseal.oci;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.PublishCheck;
import dev.modelseal.pin.StagedCopy;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.source.ModelSource;
import dev.modelseal.source.SignatureFile;
import dev.modelseal.walk.ResourceNames;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pulls, verifies and signs models stored in OCI registries.
 *
 * <pre>{@code
 * try (OciModelSource oci = OciModelSource.create(OciOptions.defaults())) {
 *   OciReference ref = OciReference.parse("oci://registry.example.com/team/resnet:v3");
 *   OmsVerifier v = OmsVerifier.create(TrustPolicy.publicKey(key));
 *   ModelSource m = oci.model(ref);
 *   PulledOciModel p = oci.pull(m, oci.pin(v, m), Path.of("/mnt/models/resnet"), false, null);
 * }
 * }</pre>
 *
 * <p>Guarantee: the manifest is read once (at most 4 MiB, parsed strictly) and its digest computed
 * from its bytes (a digest reference must match it); everything after is read by that digest, so a
 * tag moved meanwhile cannot mix two models. Each layer blob is streamed once, every byte hashed as
 * it is written into an owner-only staging directory (the core's {@link StagedCopy}) and hashed
 * again as a blob, whose digest and size must be its descriptor's; tar layers are unpacked as
 * streams, links, devices and unsafe names refused. The target appears by one atomic rename only
 * when the pin, lock entry or verified signature matches (and the optional check passes); on any
 * failure nothing appears and the exception names the blob and the reason. Not checked: who may
 * push to the registry (the pin or signature decides that).
 */
public final class OciModelSource implements AutoCloseable {
  private final OciOptions options;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  private OciModelSource(OciOptions options) {
    this.options = options;
  }

  /** A source talking to registries as {@code options} say. */
  public static OciModelSource create(OciOptions options) {
    return new OciModelSource(Objects.requireNonNull(options, "options"));
  }

  private Repository repository(OciReference ref) throws ModelsealException {
    RegistryClient c = clients.get(ref.registry());
    if (c == null) {
      Credentials creds = Credentials.lookup(ref.registry(), options.authFile());
      c = new RegistryClient(ref.registry(), options, creds);
      RegistryClient prev = clients.putIfAbsent(ref.registry(), c);
      if (prev != null) {
        c.close();
        c = prev;
      }
    }
    return new Repository(c, ref.registry(), ref.repository());
  }

  /**
   * Resolves {@code ref}'s manifest and returns the model as a {@link ModelSource} (for {@link
   * OmsVerifier} and the pulls below); private copies go to the temporary directory.
   *
   * @throws OciTransferException when the manifest cannot be read or is not a model's
   * @throws OciIntegrityException when a digest reference does not match the bytes served
   */
  public ModelSource model(OciReference ref) throws ModelsealException {
    return model(ref, null);
  }

  private OciModel model(OciReference ref, Path stagingParent) throws ModelsealException {
    Repository repo = repository(ref);
    Repository.Fetched f = repo.manifest(ref.reference(), MediaTypes.ACCEPT_MANIFEST);
    OciManifest m;
    try {
      m = OciManifest.parse(f.bytes(), f.digest(), f.contentType());
    } catch (IllegalArgumentException e) {
      throw new OciTransferException(ref.toString(), e.getMessage(), null);
    }
    return new OciModel(repo, ref, m, f.bytes().length, options, stagingParent);
  }

  private static OciModel oci(ModelSource model) {
    if (!(model instanceof OciModel m)) {
      throw new IllegalArgumentException("not a model of this source: " + model);
    }
    return m;
  }

  /** The manifest digest {@code model} was resolved to. */
  public static String manifestDigest(ModelSource model) {
    return oci(model).manifest().digest();
  }

  /**
   * Finds the OMS bundles attached to {@code model}'s manifest and returns the pin of the first
   * (newest first) that {@code verifier} accepts.
   *
   * @throws OciIntegrityException when no bundle is attached (a re-tagged manifest has none)
   * @throws SignatureVerificationException when none verifies (the newest one's failure)
   */
  public ModelPin pin(OmsVerifier verifier, ModelSource model) throws ModelsealException {
    return verifier.pin(model, signatureOf(verifier, model));
  }

  /**
   * The {@code readSignature} location of the newest attached bundle that {@code verifier} accepts,
   * for {@link OmsVerifier#check(ModelSource, String)} and {@link OmsVerifier#open(ModelSource,
   * String)}.
   */
  public String signatureOf(OmsVerifier verifier, ModelSource model) throws ModelsealException {
    OciModel m = oci(model);
    List<String> found = new Referrers(m.repository()).bundles(m.manifest().digest());
    if (found.isEmpty()) {
      throw Referrers.noSignature(m.pinned());
    }
    List<String> newestFirst = new ArrayList<>(found);
    Collections.reverse(newestFirst);
    SignatureVerificationException first = null;
    for (String d : newestFirst) {
      try {
        verifier.pin(model, OciModel.REFERRER + d);
        return OciModel.REFERRER + d;
      } catch (SignatureVerificationException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    throw first;
  }

  /**
   * Downloads {@code model} into a staging directory beside {@code target}, verifying while it
   * streams, runs {@code check} (may be null) on the verified copy, and publishes {@code target}
   * only on a match (see {@link ModelPin#publish}).
   *
   * @throws dev.modelseal.pin.ModelMismatchException when the content does not match
   * @throws OciIntegrityException when a blob is not what its descriptor says
   * @throws InvalidInputException when {@code target} exists and {@code replace} is false
   */
  public PulledOciModel pull(
      ModelSource model, ModelPin pin, Path target, boolean replace, PublishCheck check)
      throws ModelsealException {
    OciModel m = oci(model);
    Path abs = target.toAbsolutePath().normalize();
    if (abs.getParent() == null) {
      throw new InvalidInputException(abs, "cannot publish at the file system root");
    }
    if (!replace && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(abs, "target already exists (use --replace)");
    }
    List<Layer> layers = m.list(pin.serialization().walk());
    try (StagedCopy copy =
        StagedCopy.create(pin.serialization(), abs.getFileName().toString(), abs.getParent())) {
      long bytes = m.transfer(layers, copy);
      Manifest man = pin.publish(copy, abs, replace, check);
      return new PulledOciModel(abs, man, bytes, m.manifest().digest());
    }
  }

  /** Downloads and verifies into a private directory; the handle deletes it on close. */
  public VerifiedModel open(ModelSource model, ModelPin pin) throws ModelsealException {
    return oci(model).open(pin);
  }

  /** Streams and hashes the model, keeping nothing; returns the manifest of the bytes read. */
  public Manifest check(ModelSource model, ModelPin pin) throws ModelsealException {
    return oci(model).check(pin);
  }

  /** What {@link #sign} did. */
  public record Signed(
      String manifestDigest, String referrerDigest, boolean fallbackTag, int files, long pulled) {}

  /**
   * Signs the model at {@code ref} and attaches the bundle to its manifest as a referrer. Raw
   * layers are signed from their digests (a raw layer's digest is its file's SHA-256, the OMS
   * per-file digest) without pulling them; tar layers are streamed and each entry hashed.
   *
   * @param walk the exclusions (recorded in the signature)
   */
  public Signed sign(OciReference ref, OmsSigner signer, WalkOptions walk)
      throws ModelsealException {
    Described d = describe(ref, walk);
    OmsBundle bundle = signer.sign(d.manifest());
    byte[] json = bundle.toJson();
    if (json.length > OmsBundle.DEFAULT_MAX_BYTES) {
      throw new InvalidInputException(null, "the signature would exceed what verify reads");
    }
    OciModel m = oci(d.model());
    Referrers.Attached a = new Referrers(m.repository()).attach(subject(m), json);
    return new Signed(
        m.manifest().digest(),
        a.referrer(),
        a.fallbackTag(),
        d.manifest().resources().size(),
        d.pulled());
  }

  /**
   * A model resolved to its manifest digest and the OMS manifest of its files as the registry
   * describes them: a raw layer's digest is its file's SHA-256; tar layers were streamed ({@code
   * pulled} bytes) and each entry hashed. Nothing here verified the layers' bytes: {@link #open} or
   * {@link #check} with {@code ModelPin.of(manifest())} does.
   */
  public record Described(ModelSource model, Manifest manifest, long pulled) {}

  /**
   * Describes the model at {@code ref} from its manifest's layer digests, pulling only tar layers.
   *
   * @param walk the exclusions (recorded in the manifest's serialization)
   */
  public Described describe(OciReference ref, WalkOptions walk) throws ModelsealException {
    OciModel m = model(ref, null);
    List<Layer> layers = OciModel.layers(m.manifest(), walk, options, ref.toString());
    List<ResourceDigest> resources = Collections.synchronizedList(new ArrayList<>());
    List<Layer> streamed = new ArrayList<>();
    for (Layer l : layers) {
      if (l.packing() == MediaTypes.Packing.RAW) {
        resources.add(
            new ResourceDigest(l.name(), Digest.parse(l.descriptor().digest()), l.size()));
      } else {
        streamed.add(l);
      }
    }
    long pulled = 0;
    if (!streamed.isEmpty()) {
      pulled = m.readAll(streamed, hashingSink(resources), walk);
    }
    List<ResourceDigest> sorted = new ArrayList<>(resources);
    sorted.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new OciIntegrityException(
            ref.toString(), "two layers hold the file '" + sorted.get(i).name() + "'");
      }
    }
    Manifest manifest =
        Manifest.of(ref.modelName(), Serialization.files(HashAlgorithm.SHA256, walk), sorted);
    return new Described(m, manifest, pulled);
  }

  /** Where an attestation was attached. */
  public record Attachment(String manifestDigest, String referrerDigest, boolean fallbackTag) {}

  /**
   * Attaches a DSSE attestation envelope to {@code model}'s manifest as an OCI 1.1 referrer
   * (artifact type {@code application/vnd.dsse.envelope.v1+json}, annotated with its predicate
   * type), through the referrers-tag fallback when the registry has no referrers API. Nothing is
   * checked here: {@link #attestations} readers verify what they find.
   *
   * @throws InvalidInputException when the envelope is larger than verifiers read
   */
  public Attachment attachAttestation(ModelSource model, byte[] envelope, String predicateType)
      throws ModelsealException {
    if (envelope.length > MAX_ATTESTATION_BYTES) {
      throw new InvalidInputException(null, "the attestation would exceed what verify reads");
    }
    OciModel m = oci(model);
    Referrers.Attached a =
        new Referrers(m.repository())
            .attach(
                subject(m),
                envelope,
                MediaTypes.DSSE_ENVELOPE,
                "attestation.json",
                Map.of(MediaTypes.PREDICATE_TYPE, predicateType));
    return new Attachment(m.manifest().digest(), a.referrer(), a.fallbackTag());
  }

  /** An attestation attached to a manifest: its referrer manifest's digest and the envelope. */
  public record AttachedAttestation(String referrer, SignatureFile envelope) {}

  /** The largest attestation read or attached (the attestation verifier's limit). */
  public static final int MAX_ATTESTATION_BYTES = 4 * 1024 * 1024;

  /**
   * The attestations attached to {@code model}'s manifest, newest first (at most {@value
   * Referrers#MAX_CANDIDATES}), each named {@code <model>@<referrer digest>}; an attestation over
   * {@link #MAX_ATTESTATION_BYTES} is returned as {@code MAX_ATTESTATION_BYTES + 1} bytes, which
   * the verifier refuses as too large. Only referrers whose own manifest names this manifest as
   * subject are read.
   */
  public List<AttachedAttestation> attestations(ModelSource model) throws ModelsealException {
    OciModel m = oci(model);
    Referrers refs = new Referrers(m.repository());
    List<String> found =
        new ArrayList<>(refs.listed(m.manifest().digest(), MediaTypes.DSSE_ENVELOPE));
    Collections.reverse(found);
    List<AttachedAttestation> out = new ArrayList<>();
    for (String d : found) {
      byte[] bytes =
          refs.content(m.manifest().digest(), d, MediaTypes.DSSE_ENVELOPE, MAX_ATTESTATION_BYTES);
      out.add(
          new AttachedAttestation(
              d, SignatureFile.of(bytes, Path.of(m.pinned().modelName() + "@" + d), null)));
    }
    return out;
  }

  private static Descriptor subject(OciModel m) {
    return Descriptor.of(m.manifest().mediaType(), m.manifest().digest(), m.manifestSize());
  }

  private static FileSink hashingSink(List<ResourceDigest> out) {
    return (name, size) -> {
      MessageDigest md = HashAlgorithm.sha256();
      return new FileSink.File() {
        private long n;

        @Override
        public void write(byte[] b, int off, int len) {
          md.update(b, off, len);
          n += len;
        }

        @Override
        public void finish() throws ModelsealException {
          if (n != size) {
            throw new OciTransferException(name, "truncated", null);
          }
          out.add(new ResourceDigest(name, Digest.of("sha256", md.digest()), size));
        }
      };
    };
  }

  /** Closes the registry clients. */
  @Override
  public void close() {
    clients.values().forEach(RegistryClient::close);
    clients.clear();
  }
}
