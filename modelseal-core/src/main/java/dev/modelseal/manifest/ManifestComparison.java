package dev.modelseal.manifest;

import dev.modelseal.walk.ResourceNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What differs between an expected manifest (a lock file's, a signature's) and the manifest of the
 * model on disk, by file: files whose content differs, files expected but absent, and files present
 * but not expected. Shard resources are reported by the file they belong to.
 *
 * @param modified files present in both with different digests
 * @param missing files expected but not found
 * @param extra files found but not expected
 * @param rootMatches whether the two root digests are equal (constant-time comparison)
 */
public record ManifestComparison(
    List<String> modified, List<String> missing, List<String> extra, boolean rootMatches) {

  /** Copies the lists. */
  public ManifestComparison {
    modified = List.copyOf(modified);
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
  }

  /** Compares {@code expected} with {@code actual}. */
  public static ManifestComparison compare(Manifest expected, Manifest actual) {
    boolean shards = expected.serialization().method() == Serialization.Method.SHARDS;
    Map<String, ResourceDigest> exp = expected.byName();
    Map<String, ResourceDigest> act = actual.byName();
    TreeSet<String> modified = new TreeSet<>(ResourceNames.CODE_POINT_ORDER);
    TreeSet<String> missing = new TreeSet<>(ResourceNames.CODE_POINT_ORDER);
    TreeSet<String> extra = new TreeSet<>(ResourceNames.CODE_POINT_ORDER);
    Map<String, Boolean> expFiles = fileNames(exp.keySet(), shards);
    Map<String, Boolean> actFiles = fileNames(act.keySet(), shards);
    for (Map.Entry<String, ResourceDigest> e : exp.entrySet()) {
      ResourceDigest other = act.get(e.getKey());
      String file = shards ? shardFile(e.getKey()) : e.getKey();
      if (other == null) {
        (actFiles.containsKey(file) ? modified : missing).add(file);
      } else if (!other.digest().matches(e.getValue().digest())) {
        modified.add(file);
      }
    }
    for (String name : act.keySet()) {
      if (!exp.containsKey(name)) {
        String file = shards ? shardFile(name) : name;
        (expFiles.containsKey(file) ? modified : extra).add(file);
      }
    }
    return new ManifestComparison(
        new ArrayList<>(modified),
        new ArrayList<>(missing),
        new ArrayList<>(extra),
        expected.root().matches(actual.root()));
  }

  /** True when nothing differs. */
  public boolean matches() {
    return rootMatches && modified.isEmpty() && missing.isEmpty() && extra.isEmpty();
  }

  /** One line naming what differs, e.g. {@code modified: a.bin; missing: b.bin}. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    if (!modified.isEmpty()) {
      parts.add("modified: " + String.join(", ", modified));
    }
    if (!missing.isEmpty()) {
      parts.add("missing: " + String.join(", ", missing));
    }
    if (!extra.isEmpty()) {
      parts.add("extra: " + String.join(", ", extra));
    }
    if (parts.isEmpty()) {
      return rootMatches ? "no difference" : "root digest differs";
    }
    return String.join("; ", parts);
  }

  private static Map<String, Boolean> fileNames(Iterable<String> names, boolean shards) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (String n : names) {
      m.put(shards ? shardFile(n) : n, Boolean.TRUE);
    }
    return m;
  }

  /** The file part of a shard name {@code path:start:end}. */
  static String shardFile(String shardName) {
    int last = shardName.lastIndexOf(':');
    int prev = last > 0 ? shardName.lastIndexOf(':', last - 1) : -1;
    return prev > 0 ? shardName.substring(0, prev) : shardName;
  }
}
