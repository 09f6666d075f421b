package dev.modelseal.pin;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelChangedException;
import dev.modelseal.manifest.ContentSink;
import dev.modelseal.walk.ModelFile;
import dev.modelseal.walk.ModelTree;
import java.util.HashMap;
import java.util.Map;

/** Keeps the bytes being hashed in arrays sized from the walk, one per file. */
final class InMemoryCopy implements ContentSink {
  /** Largest array the JVM reliably allocates. */
  static final long MAX_FILE = Integer.MAX_VALUE - 8;

  private final Map<String, byte[]> contents;

  private InMemoryCopy(Map<String, byte[]> contents) {
    this.contents = contents;
  }

  static InMemoryCopy allocate(ModelTree tree) throws InvalidInputException {
    Map<String, byte[]> m = new HashMap<>();
    for (ModelFile f : tree.files()) {
      if (f.size() > MAX_FILE) {
        throw new InvalidInputException(
            f.path(), "too large to verify into memory (" + f.size() + " bytes); use open()");
      }
    }
    for (ModelFile f : tree.files()) {
      m.put(f.name(), new byte[(int) f.size()]);
    }
    return new InMemoryCopy(m);
  }

  @Override
  public void accept(ModelFile file, long position, byte[] buf, int off, int len)
      throws ModelChangedException {
    byte[] target = contents.get(file.name());
    if (position + len > target.length) {
      throw new ModelChangedException(file.path(), "file grew while it was read");
    }
    System.arraycopy(buf, off, target, (int) position, len);
  }

  Map<String, byte[]> contents() {
    return contents;
  }
}
