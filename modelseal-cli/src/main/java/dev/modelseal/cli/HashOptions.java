package dev.modelseal.cli;

import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by the commands that hash a model: algorithm, shards, ignore paths, links. */
final class HashOptions {
  @Option(
      names = "--hash",
      paramLabel = "ALG",
      description = "Per-file hash: sha256 (default) or blake2b.",
      converter = AlgorithmConverter.class)
  HashAlgorithm hash;

  @Option(
      names = "--shard-size",
      paramLabel = "BYTES",
      description =
          "Use the OMS 'shards' serialization: one digest per BYTES-byte range"
              + " (hashes one large file on every core).")
  Long shardSize;

  @Option(
      names = "--ignore",
      paramLabel = "PATH",
      description = "Leave out PATH (relative to the model root; repeatable).")
  List<String> ignore = new ArrayList<>();

  @Option(
      names = "--allow-symlinks",
      description = "Follow symbolic links that stay inside the model root.")
  boolean allowSymlinks;

  /** True when any option was given. */
  boolean any() {
    return hash != null || shardSize != null || !ignore.isEmpty() || allowSymlinks;
  }

  /** The serialization these options describe, ignore paths resolved against {@code model}. */
  Serialization serialization(Path model) {
    WalkOptions walk =
        WalkOptions.defaults().allowSymlinks(allowSymlinks).ignoring(relativeIgnores(model));
    HashAlgorithm alg = hash == null ? HashAlgorithm.SHA256 : hash;
    if (shardSize != null) {
      if (shardSize <= 0) {
        throw new IllegalArgumentException("--shard-size must be positive");
      }
      return Serialization.shards(alg, shardSize, walk);
    }
    return Serialization.files(alg, walk);
  }

  private List<String> relativeIgnores(Path model) {
    return relativeIgnores(model, ignore);
  }

  /**
   * {@code --ignore} values as paths relative to the model root: relative values as given, absolute
   * ones made relative (they must lie inside the model).
   */
  static List<String> relativeIgnores(Path model, List<String> ignore) {
    List<String> out = new ArrayList<>();
    Path root = model.toAbsolutePath().normalize();
    for (String i : ignore) {
      Path p = Path.of(i);
      if (p.isAbsolute()) {
        Path n = p.normalize();
        if (!n.startsWith(root) || n.equals(root)) {
          throw new IllegalArgumentException("--ignore " + i + " is not inside the model " + model);
        }
        out.add(root.relativize(n).toString().replace('\\', '/'));
      } else {
        out.add(i);
      }
    }
    return out;
  }

  /** Parses algorithm names for picocli. */
  static final class AlgorithmConverter
      implements picocli.CommandLine.ITypeConverter<HashAlgorithm> {
    @Override
    public HashAlgorithm convert(String value) {
      return HashAlgorithm.fromOmsName(value.toLowerCase(Locale.ROOT));
    }
  }
}
