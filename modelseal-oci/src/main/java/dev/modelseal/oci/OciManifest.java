package dev.modelseal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.internal.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image manifest (OCI, or Docker schema 2) as read from a registry, unverified: its config,
 * layers, optional subject and artifact type, and the sha256 digest of its exact bytes. Parsed
 * strictly from at most {@link OciOptions#MAX_MANIFEST_BYTES} bytes into a plain tree (duplicate
 * keys refused, nesting bounded, typed fields checked); at most {@link #MAX_LAYERS} layers.
 */
record OciManifest(
    String digest,
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    Descriptor subject,
    String artifactType,
    Map<String, String> annotations) {
  /** The most layers read. */
  static final int MAX_LAYERS = 100_000;

  OciManifest {
    layers = List.copyOf(layers);
  }

  Optional<Descriptor> subjectDescriptor() {
    return Optional.ofNullable(subject);
  }

  /**
   * Parses manifest bytes; {@code contentType} is the response's, used when the document names no
   * media type.
   *
   * @throws IllegalArgumentException with a one-line reason when it is not an image manifest
   */
  static OciManifest parse(byte[] bytes, String digest, String contentType) {
    JsonNode root = StrictJson.parseObject(bytes);
    String mt = mediaTypeOf(root, contentType);
    if (OciIndexDoc.isIndex(mt)) {
      throw new IllegalArgumentException(
          "an image index (" + mt + "), not a model's manifest: name one manifest by its digest");
    }
    if (!MediaTypes.OCI_MANIFEST.equals(mt) && !MediaTypes.DOCKER_MANIFEST.equals(mt)) {
      throw new IllegalArgumentException("not an image manifest: media type " + mt);
    }
    requireSchema2(root);
    Descriptor config = Descriptor.parse(root.get("config"), "config");
    JsonNode ls = StrictJson.array(root, "layers", "manifest");
    if (ls.size() > MAX_LAYERS) {
      throw new IllegalArgumentException("more than " + MAX_LAYERS + " layers");
    }
    List<Descriptor> layers = new ArrayList<>(ls.size());
    for (int i = 0; i < ls.size(); i++) {
      layers.add(Descriptor.parse(ls.get(i), "layers[" + i + "]"));
    }
    JsonNode s = root.get("subject");
    Descriptor subject = s == null || s.isNull() ? null : Descriptor.parse(s, "subject");
    JsonNode at = root.get("artifactType");
    String artifactType =
        at == null || at.isNull() ? null : StrictJson.text(root, "artifactType", "manifest");
    return new OciManifest(
        digest,
        mt,
        config,
        layers,
        subject,
        artifactType,
        Descriptor.annotations(root, "manifest"));
  }

  static String mediaTypeOf(JsonNode root, String contentType) {
    JsonNode m = root.get("mediaType");
    if (m != null && !m.isNull()) {
      if (!m.isTextual()) {
        throw new IllegalArgumentException("manifest.mediaType must be a string");
      }
      return m.textValue();
    }
    if (contentType != null) {
      int semi = contentType.indexOf(';');
      return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }
    throw new IllegalArgumentException("the manifest names no media type");
  }

  static void requireSchema2(JsonNode root) {
    JsonNode v = root.get("schemaVersion");
    if (v == null || !v.isIntegralNumber() || v.intValue() != 2) {
      throw new IllegalArgumentException("schemaVersion must be 2");
    }
  }

  /** The effective artifact type: {@code artifactType}, else the config's media type. */
  String effectiveArtifactType() {
    return artifactType != null ? artifactType : config.mediaType();
  }
}
