package dev.modelseal.formats.gguf;

import dev.modelseal.formats.TensorModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An opened GGUF file: its version, its typed metadata (in file order) and its tensors as a {@link
 * TensorModel}. Closing it closes the model.
 */
public final class GgufFile implements AutoCloseable {
  private final int version;
  private final Map<String, GgufValue> metadata;
  private final TensorModel model;

  GgufFile(int version, Map<String, GgufValue> metadata, TensorModel model) {
    this.version = version;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.model = model;
  }

  /** The GGUF version (2 or 3). */
  public int version() {
    return version;
  }

  /** The key/value metadata, in file order; outside every fingerprint. */
  public Map<String, GgufValue> metadata() {
    return metadata;
  }

  /** The tensors. */
  public TensorModel model() {
    return model;
  }

  @Override
  public void close() {
    model.close();
  }
}
