package dev.modelseal.oms;

import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a <em>verified</em> statement into the pin the model on disk must match: the recorded
 * serialization and ignore paths, plus the caller's ignore paths, with the signature file left out
 * when it lies inside the model, and (when asked) only the signed files read. Used by {@link
 * OmsVerifier} and by the keyless verifier of {@code modelseal-sigstore}; it checks nothing about
 * the statement's origin, so give it only statements whose signature was verified.
 */
public final class ModelBinding {
  private ModelBinding() {}

  /**
   * The pin for {@code verified}.
   *
   * @param verified a statement whose signature was verified
   * @param model the model path (a single file or a directory)
   * @param signature the signature file's path (left out of the model when inside it)
   * @param ignore more paths to leave out, relative to the model root
   * @param ignoreUnsigned leave out files the statement does not list
   */
  public static ModelPin pin(
      OmsStatement verified,
      Path model,
      Path signature,
      List<String> ignore,
      boolean ignoreUnsigned) {
    boolean singleFile = Files.isRegularFile(model);
    WalkOptions walk = verified.serialization().walk().ignoring(ignore);
    String inside = OmsSigner.relativeInside(model, signature);
    if (inside != null) {
      walk = walk.ignoring(List.of(inside));
    }
    String fileName =
        singleFile ? model.toAbsolutePath().normalize().getFileName().toString() : null;
    Manifest expected = verified.manifest(walk, fileName);
    if (ignoreUnsigned) {
      Set<String> files = new LinkedHashSet<>();
      for (ResourceDigest r : expected.resources()) {
        String n = r.name();
        if (expected.serialization().method() == Serialization.Method.SHARDS) {
          n = OmsStatement.shardFile(n);
        }
        files.add(n);
      }
      expected = verified.manifest(walk.onlyFiles(files), fileName);
    }
    return ModelPin.of(expected);
  }
}
