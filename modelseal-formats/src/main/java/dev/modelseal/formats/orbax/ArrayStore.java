package dev.modelseal.formats.orbax;

import dev.modelseal.ModelsealException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an Orbax checkpoint keeps its arrays' keys ({@code params.w/zarr.json}, {@code
 * params.w/c/0/0}, {@code params.w/.zarray}, {@code params.w/0.0}): files under the checkpoint
 * directory, or the keys of its OCDBT store. Keys are {@code /}-separated plain names that the
 * reader builds itself from validated parts.
 */
interface ArrayStore {
  /** The value under {@code key}, empty when there is none. */
  Optional<StoredValue> get(String key) throws ModelsealException;

  /** The checkpoint directory (for messages). */
  Path where();

  /** The keys as files: each {@code /}-separated part a directory, the last a regular file. */
  static ArrayStore directory(Path dir) {
    return new ArrayStore() {
      @Override
      public Optional<StoredValue> get(String key) throws ModelsealException {
        Path p = dir;
        for (String part : key.split("/", -1)) {
          p = p.resolve(part);
          if (Files.isSymbolicLink(p)) {
            return Optional.empty();
          }
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          return Optional.empty();
        }
        try {
          return Optional.of(StoredValue.region(p, 0, Files.size(p)));
        } catch (java.io.IOException e) {
          throw dev.modelseal.ModelIoException.of(p, e);
        }
      }

      @Override
      public Path where() {
        return dir;
      }
    };
  }

  /** The keys of the latest version of an OCDBT store. */
  static ArrayStore ocdbt(OcdbtDatabase db) {
    return new ArrayStore() {
      @Override
      public Optional<StoredValue> get(String key) {
        return db.get(key);
      }

      @Override
      public Path where() {
        return db.root();
      }
    };
  }
}
