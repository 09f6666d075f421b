package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.source.LocalModelSource;
import dev.modelseal.walk.ModelFile;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code verify --ignore-unsigned-files} left out: the files of the model directory (walked
 * with the usual rules and the given ignore paths, the signature file itself excluded) that the
 * verified manifest does not list. Names only; nothing is read.
 */
final class UnsignedFiles {
  private UnsignedFiles() {}

  static List<String> list(Path model, Path signature, List<String> ignores, Manifest verified)
      throws ModelsealException {
    List<String> out = new ArrayList<>();
    if (verified.resources().isEmpty()) {
      return out;
    }
    List<String> skip = new ArrayList<>(ignores);
    String inside = LocalModelSource.pathInside(model, signature);
    if (inside != null) {
      skip.add(inside);
    }
    skip.addAll(verified.serialization().walk().recordedIgnorePaths());
    Set<String> signed = new HashSet<>();
    boolean shards = verified.serialization().method() == Serialization.Method.SHARDS;
    for (String name : verified.byName().keySet()) {
      signed.add(shards ? shardPath(name) : name);
    }
    for (ModelFile f :
        ModelWalker.with(WalkOptions.defaults().ignoring(skip)).walk(model).files()) {
      if (!signed.contains(f.name())) {
        out.add(f.name());
      }
    }
    return out;
  }

  /** The file of a shard resource name {@code path:start:end}. */
  private static String shardPath(String name) {
    int end = name.lastIndexOf(':');
    int start = end > 0 ? name.lastIndexOf(':', end - 1) : -1;
    return start > 0 ? name.substring(0, start) : name;
  }
}
