package dev.modelseal.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The JSON form of a manifest that {@code modelseal hash --json} prints ({@value #SCHEMA},
 * documented in {@code docs/schemas/hash.v1.json}): the name, the root, the pin, the serialization,
 * and each resource's name, size and digest, spelled {@code sha256:<hex>} as in lock files. Written
 * as a stream, one resource at a time, so memory does not grow with the output.
 */
public final class ManifestJson {
  /** The {@code schema} field of the output. */
  public static final String SCHEMA = "modelseal.dev/hash/v1";

  private ManifestJson() {}

  /**
   * Writes {@code manifest} as one JSON object to {@code g} (a generator with a codec, for the
   * serialization object).
   */
  public static void write(Manifest manifest, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("schema", SCHEMA);
    g.writeStringField("name", manifest.modelName());
    g.writeStringField("root", manifest.root().toString());
    g.writeStringField("pin", manifest.pin().toString());
    g.writeFieldName("serialization");
    g.writeTree(SerializationJson.write(manifest.serialization()));
    g.writeArrayFieldStart("resources");
    for (ResourceDigest r : manifest.resources()) {
      g.writeStartObject();
      g.writeStringField("name", r.name());
      g.writeNumberField("size", r.size());
      g.writeStringField("digest", r.digest().toString());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
