package dev.modelseal.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The JSON form of a manifest that {@code modelseal hash --json} prints: the name, the root, the
 * pin, the serialization, and each resource's name, size and digest. Written as a stream, one
 * resource at a time, so memory does not grow with the output.
 */
public final class ManifestJson {
  private ManifestJson() {}

  /**
   * Writes {@code manifest} as one JSON object to {@code g} (a generator with a codec, for the
   * serialization object).
   */
  public static void write(Manifest manifest, JsonGenerator g) throws IOException {
    g.writeStartObject();
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
      g.writeStringField("algorithm", r.digest().algorithm());
      g.writeStringField("digest", r.digest().hex());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
