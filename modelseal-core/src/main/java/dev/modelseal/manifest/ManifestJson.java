package dev.modelseal.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.internal.StrictJson;

/**
 * The JSON form of a manifest that {@code modelseal hash --json} prints: the root, the
 * serialization, and each resource's name, size and digest.
 */
public final class ManifestJson {
  private ManifestJson() {}

  /** {@code manifest} as a JSON object. */
  public static ObjectNode write(Manifest manifest) {
    ObjectNode n = StrictJson.mapper().createObjectNode();
    n.put("name", manifest.modelName());
    n.put("root", manifest.root().toString());
    n.set("serialization", SerializationJson.write(manifest.serialization()));
    ArrayNode resources = n.putArray("resources");
    for (ResourceDigest r : manifest.resources()) {
      ObjectNode e = resources.addObject();
      e.put("name", r.name());
      e.put("size", r.size());
      e.put("algorithm", r.digest().algorithm());
      e.put("digest", r.digest().hex());
    }
    return n;
  }
}
