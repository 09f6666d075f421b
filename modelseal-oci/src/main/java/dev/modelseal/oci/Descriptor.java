package dev.modelseal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.internal.StrictJson;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI content descriptor as a registry stated it (unverified): media type, {@code sha256}
 * digest, size, optional artifact type and string annotations. Immutable.
 */
record Descriptor(
    String mediaType,
    String digest,
    long size,
    String artifactType,
    Map<String, String> annotations) {
  /** The most annotations read per descriptor. */
  static final int MAX_ANNOTATIONS = 256;

  Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  /** A descriptor without artifact type or annotations. */
  static Descriptor of(String mediaType, String digest, long size) {
    return new Descriptor(mediaType, digest, size, null, Map.of());
  }

  /** The annotation {@code key}, if present. */
  Optional<String> annotation(String key) {
    return Optional.ofNullable(annotations.get(key));
  }

  /**
   * Reads a descriptor: {@code mediaType} and {@code digest} strings ({@code sha256:} and 64
   * lower-case hex digits only), {@code size} a whole number, optional {@code artifactType} string
   * and {@code annotations} object of strings; other fields are ignored, as the specification asks.
   *
   * @throws IllegalArgumentException naming the field when malformed
   */
  static Descriptor parse(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    String mediaType = StrictJson.text(n, "mediaType", where);
    if (mediaType.isEmpty() || mediaType.length() > 255) {
      throw new IllegalArgumentException(where + ".mediaType has 1 to 255 characters");
    }
    String digest = StrictJson.text(n, "digest", where);
    if (!OciReference.isSha256Digest(digest)) {
      throw new IllegalArgumentException(
          where + ".digest must be sha256:<64 lower-case hex digits>, not " + shorten(digest));
    }
    long size = StrictJson.wholeNumber(n, "size", where);
    String artifactType = null;
    JsonNode at = n.get("artifactType");
    if (at != null && !at.isNull()) {
      artifactType = StrictJson.text(n, "artifactType", where);
    }
    return new Descriptor(mediaType, digest, size, artifactType, annotations(n, where));
  }

  /** The optional {@code annotations} object of strings of {@code n}. */
  static Map<String, String> annotations(JsonNode n, String where) {
    JsonNode a = n.get("annotations");
    Map<String, String> out = new LinkedHashMap<>();
    if (a == null || a.isNull()) {
      return out;
    }
    if (!a.isObject()) {
      throw new IllegalArgumentException(where + ".annotations must be an object");
    }
    if (a.size() > MAX_ANNOTATIONS) {
      throw new IllegalArgumentException(
          where + ".annotations: more than " + MAX_ANNOTATIONS + " entries");
    }
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(
            where + ".annotations." + shorten(e.getKey()) + " must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** Writes this descriptor into {@code o}. */
  ObjectNode write(ObjectNode o) {
    o.put("mediaType", mediaType);
    o.put("digest", digest);
    o.put("size", size);
    if (artifactType != null) {
      o.put("artifactType", artifactType);
    }
    if (!annotations.isEmpty()) {
      ObjectNode a = o.putObject("annotations");
      annotations.forEach(a::put);
    }
    return o;
  }

  static String shorten(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
