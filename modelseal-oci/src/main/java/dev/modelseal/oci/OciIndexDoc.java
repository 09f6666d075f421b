package dev.modelseal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An image index as a referrers list (the referrers API's answer, or the {@code sha256-<hex>}
 * fallback tag): its manifest descriptors. Parsed strictly and bounded like {@link OciManifest}; at
 * most {@link #MAX_ENTRIES} entries.
 */
record OciIndexDoc(List<Descriptor> manifests) {
  /** The most entries read. */
  static final int MAX_ENTRIES = 10_000;

  OciIndexDoc {
    manifests = List.copyOf(manifests);
  }

  static boolean isIndex(String mediaType) {
    return MediaTypes.OCI_INDEX.equals(mediaType) || MediaTypes.DOCKER_LIST.equals(mediaType);
  }

  /**
   * Parses an index.
   *
   * @throws IllegalArgumentException with a one-line reason when it is not one
   */
  static OciIndexDoc parse(byte[] bytes, String contentType) {
    JsonNode root = StrictJson.parseObject(bytes);
    String mt = OciManifest.mediaTypeOf(root, contentType);
    if (!isIndex(mt)) {
      throw new IllegalArgumentException("not an image index: media type " + mt);
    }
    OciManifest.requireSchema2(root);
    JsonNode ms = root.get("manifests");
    List<Descriptor> out = new ArrayList<>();
    if (ms == null || ms.isNull()) {
      return new OciIndexDoc(out);
    }
    if (!ms.isArray()) {
      throw new IllegalArgumentException("index.manifests must be an array");
    }
    if (ms.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("more than " + MAX_ENTRIES + " index entries");
    }
    for (int i = 0; i < ms.size(); i++) {
      out.add(Descriptor.parse(ms.get(i), "manifests[" + i + "]"));
    }
    return new OciIndexDoc(out);
  }

  /** The index as bytes (OCI image index, schema 2). */
  byte[] toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode ms = root.putArray("manifests");
    for (Descriptor d : manifests) {
      d.write(ms.addObject());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
