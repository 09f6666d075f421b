package dev.modelseal.cli;

import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.WalkOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The serialization these options describe, ignore paths resolved against {@code model}. */
  Serialization serialization(Path model) {
    PrintWriter err = mixee == null ? null : mixee.commandLine().getErr();
    WalkOptions walk =
        WalkOptions.defaults()
            .allowSymlinks(allowSymlinks)
            .ignoring(relativeIgnores(model, ignore, err));
    HashAlgorithm alg = hash == null ? HashAlgorithm.SHA256 : hash;
    if (shardSize != null) {
      if (shardSize <= 0) {
        throw new IllegalArgumentException("--shard-size must be positive");
      }
      return Serialization.shards(alg, shardSize, walk);
    }
    return Serialization.files(alg, walk);
  }

  /**
   * {@code --ignore} values as paths relative to the model root: relative values as given, absolute
   * ones made relative (they must lie inside the model). Each must be a resource name: no empty
   * value or segment, no {@code .} or {@code ..} segment, no control character. A value that names
   * nothing in the model is accepted with a warning on {@code err} (when not null), since a typo
   * there silently signs or checks a different set of files.
   *
   * @throws IllegalArgumentException naming the bad value (exit code 2)
   */
  static List<String> relativeIgnores(Path model, List<String> ignore, PrintWriter err) {
    List<String> out = new ArrayList<>();
    Path root = model.toAbsolutePath().normalize();
    for (String i : ignore) {
      String rel;
      if (i.startsWith("/")) {
        Path n = Path.of(i).normalize();
        if (!n.startsWith(root) || n.equals(root)) {
          throw new IllegalArgumentException("--ignore " + i + " is not inside the model " + model);
        }
        rel = root.relativize(n).toString().replace('\\', '/');
      } else {
        rel = i;
      }
      out.add(checkName(i, rel));
      if (err != null && Files.isDirectory(model) && !exists(root, rel)) {
        err.println(
            "modelseal: warning: --ignore " + Printable.of(i) + " matches nothing in " + model);
        err.flush();
      }
    }
    return out;
  }

  /**
   * {@code --ignore} values for a model that is not on this disk ({@code s3://}): each must be a
   * relative resource name; nothing to match against.
   */
  static List<String> remoteIgnores(List<String> ignore) {
    List<String> out = new ArrayList<>();
    for (String i : ignore) {
      if (i.startsWith("/")) {
        throw new IllegalArgumentException(
            "--ignore " + i + ": give a path relative to the model's prefix");
      }
      out.add(checkName(i, i));
    }
    return out;
  }

  /** {@code rel} (the typed value {@code typed}) when it is a usable resource name. */
  private static String checkName(String typed, String rel) {
    String s = rel;
    while (s.startsWith("./")) {
      s = s.substring(2);
    }
    while (s.endsWith("/") && s.length() > 1) {
      s = s.substring(0, s.length() - 1);
    }
    String why = null;
    if (s.isEmpty() || s.equals(".")) {
      why = "is empty";
    } else {
      for (String seg : s.split("/", -1)) {
        if (seg.isEmpty()) {
          why = "has an empty path segment";
        } else if (seg.equals("..") || seg.equals(".")) {
          why = "has a '" + seg + "' segment; give a path inside the model";
        }
      }
      for (int k = 0; k < s.length() && why == null; k++) {
        if (s.charAt(k) < 0x20 || s.charAt(k) == 0x7f) {
          why = "has a control character";
        }
      }
    }
    if (why != null) {
      throw new IllegalArgumentException("--ignore '" + Printable.of(typed) + "' " + why);
    }
    return s;
  }

  private static boolean exists(Path root, String rel) {
    try {
      return Files.exists(root.resolve(rel), LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** Parses algorithm names for picocli. */
  static final class AlgorithmConverter
      implements picocli.CommandLine.ITypeConverter<HashAlgorithm> {
    @Override
    public HashAlgorithm convert(String value) {
      try {
        return HashAlgorithm.fromOmsName(value.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
