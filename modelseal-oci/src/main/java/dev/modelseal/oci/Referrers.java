package dev.modelseal.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OMS bundles and attestations attached to a manifest as OCI 1.1 referrers: an artifact manifest
 * ({@code artifactType} {@value MediaTypes#SIGSTORE_BUNDLE} for a signature bundle, {@value
 * MediaTypes#DSSE_ENVELOPE} for an attestation; the empty config, one layer of that media type
 * holding it, {@code subject} the model's manifest). Found through the referrers API, else through
 * the {@code sha256-<hex>} tag holding an image index of referrers (the fallback cosign and oras
 * use for registries without the API); written the same way. A listed referrer counts only when its
 * own manifest names the model's manifest as its subject, so an entry in the fallback index cannot
 * attach a bundle to another manifest. At most {@link #MAX_CANDIDATES} referrers of each type (the
 * newest listed) are considered.
 */
final class Referrers {
  static final int MAX_CANDIDATES = 16;
  private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

  private final Repository repo;

  Referrers(Repository repo) {
    this.repo = repo;
  }

  static OciIntegrityException noSignature(OciReference pinned) {
    return new OciIntegrityException(
        pinned.toString(),
        "no signature is attached to this manifest (no referrer of type "
            + MediaTypes.SIGSTORE_BUNDLE
            + "): a tag moved to another manifest has none; refused");
  }

  /** The fallback tag of {@code digest}: {@code sha256-<hex>}. */
  static String fallbackTag(String digest) {
    return digest.replace(':', '-');
  }

  /** The digests of the bundle referrers of {@code subject}, in listed order (bounded). */
  List<String> bundles(String subject) throws ModelsealException {
    return listed(subject, MediaTypes.SIGSTORE_BUNDLE);
  }

  /**
   * The digests of the referrers of {@code subject} of {@code artifactType}, in listed order
   * (bounded to the last {@link #MAX_CANDIDATES}).
   */
  List<String> listed(String subject, String artifactType) throws ModelsealException {
    Optional<OciIndexDoc> idx = repo.referrersApi(subject);
    if (idx.isEmpty()) {
      idx = fallbackIndex(subject);
    }
    List<String> out = new ArrayList<>();
    for (Descriptor d : idx.map(OciIndexDoc::manifests).orElse(List.of())) {
      if (artifactType.equals(d.artifactType()) && !out.contains(d.digest())) {
        out.add(d.digest());
      }
    }
    if (out.size() > MAX_CANDIDATES) {
      out = new ArrayList<>(out.subList(out.size() - MAX_CANDIDATES, out.size()));
    }
    return out;
  }

  private Optional<OciIndexDoc> fallbackIndex(String subject) throws ModelsealException {
    Optional<Repository.Fetched> f =
        repo.manifestIfPresent(fallbackTag(subject), MediaTypes.OCI_INDEX);
    if (f.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OciIndexDoc.parse(f.get().bytes(), f.get().contentType()));
    } catch (IllegalArgumentException e) {
      throw new OciTransferException(
          repo.where(fallbackTag(subject)), "bad referrers index: " + e.getMessage(), null);
    }
  }

  /**
   * The bundle of referrer {@code referrer} of {@code subject}: more than {@code maxBytes} yields
   * {@code maxBytes + 1} bytes (refused by the verifier as too large) without reading it.
   *
   * @throws OciIntegrityException when the referrer's subject is another manifest
   */
  byte[] bundle(String subject, String referrer, int maxBytes) throws ModelsealException {
    return content(subject, referrer, MediaTypes.SIGSTORE_BUNDLE, maxBytes);
  }

  /**
   * The one layer of media type {@code layerType} of referrer {@code referrer} of {@code subject};
   * more than {@code maxBytes} yields {@code maxBytes + 1} bytes without reading it.
   *
   * @throws OciIntegrityException when the referrer's subject is another manifest
   */
  byte[] content(String subject, String referrer, String layerType, int maxBytes)
      throws ModelsealException {
    if (!OciReference.isSha256Digest(referrer)) {
      throw new OciTransferException(referrer, "not a sha256 digest", null);
    }
    Repository.Fetched f = repo.manifest(referrer, MediaTypes.OCI_MANIFEST);
    OciManifest m;
    try {
      m = OciManifest.parse(f.bytes(), f.digest(), f.contentType());
    } catch (IllegalArgumentException e) {
      throw new OciTransferException(repo.where(referrer), e.getMessage(), null);
    }
    if (m.subject() == null || !Repository.digestsEqual(m.subject().digest(), subject)) {
      throw new OciIntegrityException(
          repo.where(referrer), "this referrer's subject is not the model's manifest " + subject);
    }
    Descriptor layer = null;
    for (Descriptor d : m.layers()) {
      if (layerType.equals(d.mediaType())) {
        if (layer != null) {
          throw new OciTransferException(repo.where(referrer), "holds two " + layerType, null);
        }
        layer = d;
      }
    }
    if (layer == null) {
      throw new OciTransferException(
          repo.where(referrer), "holds no " + layerType + " layer", null);
    }
    if (layer.size() > maxBytes) {
      return new byte[maxBytes + 1];
    }
    return repo.smallBlob(layer.digest(), maxBytes);
  }

  /** Where a bundle was attached, and whether the fallback tag was written. */
  record Attached(String referrer, boolean fallbackTag) {}

  /** Attaches {@code bundle} to the manifest {@code subject}. */
  Attached attach(Descriptor subject, byte[] bundle) throws ModelsealException {
    return attach(subject, bundle, MediaTypes.SIGSTORE_BUNDLE, "model.sig", Map.of());
  }

  /**
   * Attaches {@code content} to the manifest {@code subject} as a referrer of {@code type} (its
   * artifact type and its one layer's media type), the layer titled {@code title}, {@code
   * annotations} on the referrer manifest and its entry in the fallback index.
   */
  Attached attach(
      Descriptor subject,
      byte[] content,
      String type,
      String title,
      Map<String, String> annotations)
      throws ModelsealException {
    String config = repo.pushBlob(EMPTY_CONFIG);
    String layer = repo.pushBlob(content);
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_MANIFEST);
    root.put("artifactType", type);
    Descriptor.of(MediaTypes.EMPTY, config, EMPTY_CONFIG.length).write(root.putObject("config"));
    new Descriptor(type, layer, content.length, null, Map.of(MediaTypes.TITLE, title))
        .write(root.putArray("layers").addObject());
    Descriptor.of(subject.mediaType(), subject.digest(), subject.size())
        .write(root.putObject("subject"));
    String created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, String> notes = new java.util.TreeMap<>(annotations);
    notes.put("org.opencontainers.image.created", created);
    ObjectNode an = root.putObject("annotations");
    notes.forEach(an::put);
    byte[] bytes = root.toString().getBytes(StandardCharsets.UTF_8);
    String digest = Repository.sha256(bytes);
    Optional<String> subjectHeader = repo.putManifest(digest, bytes, MediaTypes.OCI_MANIFEST);
    if (subjectHeader.isPresent()) {
      return new Attached(digest, false);
    }
    // No referrers API: add the artifact to the sha256-<hex> index (read, append, write).
    String tag = fallbackTag(subject.digest());
    List<Descriptor> entries =
        new ArrayList<>(
            fallbackIndex(subject.digest()).map(OciIndexDoc::manifests).orElse(List.of()));
    entries.removeIf(d -> d.digest().equals(digest));
    entries.add(new Descriptor(MediaTypes.OCI_MANIFEST, digest, bytes.length, type, notes));
    OciIndexDoc idx = new OciIndexDoc(entries);
    repo.putManifest(tag, idx.toJson(), MediaTypes.OCI_INDEX);
    return new Attached(digest, true);
  }
}
