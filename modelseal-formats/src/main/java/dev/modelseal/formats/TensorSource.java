package dev.modelseal.formats;

import dev.modelseal.ModelsealException;
import java.util.Optional;

/**
 * One tensor of an opened model: its description, and its canonical bytes on demand. Sources of one
 * model may be opened concurrently from several threads; each {@link #open()} returns an
 * independent stream. A source is valid while its {@link TensorModel} is open.
 */
public interface TensorSource {
  /** The tensor's description. */
  TensorInfo info();

  /** A fresh stream of the canonical bytes. */
  TensorStream open() throws ModelsealException;

  /**
   * The file range that holds exactly the canonical bytes, when the stored bytes need no
   * conversion; empty otherwise (the default). {@link #open()} delivers the same bytes either way.
   */
  default Optional<StoredRegion> storedRegion() {
    return Optional.empty();
  }
}
