package dev.modelseal.manifest;

import dev.modelseal.ModelsealException;
import dev.modelseal.walk.ModelFile;
import java.io.IOException;

/**
 * Receives the exact bytes {@link ModelHasher} hashed, as it hashes them, so that a copy can be
 * made in the same read (no second read, no time-of-check/time-of-use gap). Called from several
 * threads at once, for different files or different ranges of one file; each call's range is
 * disjoint from every other's.
 */
@FunctionalInterface
public interface ContentSink {
  /**
   * Takes {@code len} bytes of {@code file}'s content that start at {@code position}.
   *
   * @throws IOException when the bytes cannot be stored; hashing then stops with that error
   * @throws ModelsealException when the bytes show the file changed; hashing then stops
   */
  void accept(ModelFile file, long position, byte[] buf, int off, int len)
      throws IOException, ModelsealException;
}
