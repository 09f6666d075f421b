package dev.modelseal.walk;

import java.nio.file.Path;
import java.util.List;

/**
 * The files that make up a model, as found by {@link ModelWalker}: never empty, sorted by the
 * Unicode code points of their names, names unique and valid.
 *
 * @param root the model path as given (a directory or a single file)
 * @param singleFile true when the model is one file rather than a directory
 * @param files the files, sorted by name
 * @param options the options the tree was walked with
 */
public record ModelTree(Path root, boolean singleFile, List<ModelFile> files, WalkOptions options) {
  /** Copies the list so the record is immutable. */
  public ModelTree {
    files = List.copyOf(files);
  }

  /** The model's name as OMS records it in the statement's subject: the last path element. */
  public String modelName() {
    Path name = root.toAbsolutePath().normalize().getFileName();
    return name == null ? "/" : name.toString();
  }

  /** Sum of the file sizes, in bytes. */
  public long totalSize() {
    long total = 0;
    for (ModelFile f : files) {
      total += f.size();
    }
    return total;
  }
}
