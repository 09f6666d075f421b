package dev.modelseal.oms;

import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.walk.WalkOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a statement into the pin the model must match: the recorded serialization and ignore paths,
 * plus the caller's ignore paths, and (when asked) only the signed files read. Reached only through
 * {@link VerifiedStatement#pin}, so only from a statement whose signature verified.
 */
final class ModelBinding {
  private ModelBinding() {}

  static ModelPin pin(
      OmsStatement verified, String singleFileName, List<String> ignore, boolean ignoreUnsigned) {
    WalkOptions walk = verified.serialization().walk().ignoring(ignore);
    Manifest expected = verified.manifest(walk, singleFileName);
    if (ignoreUnsigned) {
      Set<String> files = new LinkedHashSet<>();
      for (ResourceDigest r : expected.resources()) {
        String n = r.name();
        if (expected.serialization().method() == Serialization.Method.SHARDS) {
          n = OmsStatement.shardFile(n);
        }
        files.add(n);
      }
      expected = verified.manifest(walk.onlyFiles(files), singleFileName);
    }
    return ModelPin.of(expected);
  }
}
