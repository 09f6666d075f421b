package dev.modelseal.walk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a model tree is walked. Strict by default: symbolic links are refused, and the OMS default
 * exclusions ({@code .git}, {@code .gitattributes}, {@code .github}, {@code .gitignore} at the top
 * level) apply. Relaxations are named methods that return a new instance.
 */
public final class WalkOptions {
  /** The top-level names OMS excludes by default. */
  public static final List<String> GIT_EXCLUSIONS =
      List.of(".git", ".gitattributes", ".github", ".gitignore");

  private static final WalkOptions DEFAULTS = new WalkOptions(List.of(), false, true, null);

  private final List<String> ignorePaths;
  private final boolean allowSymlinks;
  private final boolean gitExclusions;
  private final Set<String> onlyFiles;
  private final Set<String> onlyDirs;

  private WalkOptions(
      List<String> ignorePaths,
      boolean allowSymlinks,
      boolean gitExclusions,
      Collection<String> onlyFiles) {
    this.ignorePaths = List.copyOf(ignorePaths);
    this.allowSymlinks = allowSymlinks;
    this.gitExclusions = gitExclusions;
    if (onlyFiles == null) {
      this.onlyFiles = null;
      this.onlyDirs = null;
    } else {
      this.onlyFiles = Set.copyOf(onlyFiles);
      Set<String> dirs = new HashSet<>();
      for (String f : onlyFiles) {
        for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
          dirs.add(f.substring(0, i));
        }
      }
      this.onlyDirs = Set.copyOf(dirs);
    }
  }

  /** Strict defaults: no symbolic links, git exclusions on, no user ignore paths. */
  public static WalkOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Also excludes these paths, relative to the model root (a path excludes itself and everything
   * below it). They are recorded in the manifest so a verifier re-applies them. The git exclusions,
   * when on, are not repeated here.
   */
  public WalkOptions ignoring(List<String> paths) {
    List<String> all = new ArrayList<>(ignorePaths);
    for (String p : paths) {
      String n = normalizeIgnorePath(p);
      if (!all.contains(n) && !(gitExclusions && GIT_EXCLUSIONS.contains(n))) {
        all.add(n);
      }
    }
    return new WalkOptions(all, allowSymlinks, gitExclusions, onlyFiles);
  }

  /** Follows symbolic links whose targets stay inside the model root. */
  public WalkOptions allowSymlinks(boolean allow) {
    return new WalkOptions(ignorePaths, allow, gitExclusions, onlyFiles);
  }

  /** Turns the default git exclusions on or off. */
  public WalkOptions gitExclusions(boolean on) {
    return new WalkOptions(ignorePaths, allowSymlinks, on, onlyFiles);
  }

  /**
   * Leaves out every file whose resource name is not in {@code names} (the "ignore unsigned files"
   * relaxation of OMS verification: files on disk that a signature does not list are not read).
   * Directories that hold none of {@code names} are not entered. A single-file model is not
   * affected. Not recorded in a manifest.
   */
  public WalkOptions onlyFiles(Collection<String> names) {
    return new WalkOptions(ignorePaths, allowSymlinks, gitExclusions, List.copyOf(names));
  }

  /** The names set by {@link #onlyFiles}, or null when every file is included. */
  public Set<String> onlyFiles() {
    return onlyFiles;
  }

  /**
   * Whether an entry named {@code name} can belong to the model under {@link #onlyFiles}: a
   * directory that holds a listed file, or a listed file (or a directory reached through a link
   * whose name is a listed directory). Always true without that restriction.
   */
  public boolean admits(String name, boolean directory) {
    if (onlyFiles == null) {
      return true;
    }
    return onlyDirs.contains(name) || (!directory && onlyFiles.contains(name));
  }

  /** The user's ignore paths, normalized (no leading {@code ./}, no trailing {@code /}). */
  public List<String> ignorePaths() {
    return ignorePaths;
  }

  /** Whether symbolic links inside the root are followed. */
  public boolean allowSymlinks() {
    return allowSymlinks;
  }

  /** Whether the default git exclusions apply. */
  public boolean gitExclusions() {
    return gitExclusions;
  }

  /**
   * Every path excluded, as OMS records it in {@code serialization.ignore_paths}: the user's paths
   * then the git exclusions, without duplicates.
   */
  public List<String> recordedIgnorePaths() {
    List<String> all = new ArrayList<>(ignorePaths);
    if (gitExclusions) {
      for (String g : GIT_EXCLUSIONS) {
        if (!all.contains(g)) {
          all.add(g);
        }
      }
    }
    return Collections.unmodifiableList(all);
  }

  /** True when {@code name} (a resource name) is excluded by these options. */
  public boolean isIgnored(String name) {
    if (gitExclusions) {
      for (String g : GIT_EXCLUSIONS) {
        if (matches(name, g)) {
          return true;
        }
      }
    }
    for (String p : ignorePaths) {
      if (matches(name, p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String name, String prefix) {
    return name.equals(prefix)
        || (name.length() > prefix.length()
            && name.startsWith(prefix)
            && name.charAt(prefix.length()) == '/');
  }

  static String normalizeIgnorePath(String p) {
    Objects.requireNonNull(p, "ignore path");
    String s = p;
    while (s.startsWith("./")) {
      s = s.substring(2);
    }
    while (s.endsWith("/") && s.length() > 1) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty() || s.equals(".")) {
      throw new IllegalArgumentException("ignore path is empty: '" + p + "'");
    }
    return s;
  }

  /**
   * True when these options select exactly the same files as {@code other} in every tree: the same
   * rules, with ignore paths compared as sets (their recorded order does not matter).
   */
  public boolean selectsSameFiles(WalkOptions other) {
    return other != null
        && new java.util.HashSet<>(recordedIgnorePaths())
            .equals(new java.util.HashSet<>(other.recordedIgnorePaths()))
        && allowSymlinks == other.allowSymlinks
        && java.util.Objects.equals(onlyFiles, other.onlyFiles)
        && java.util.Objects.equals(onlyDirs, other.onlyDirs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WalkOptions w
        && w.ignorePaths.equals(ignorePaths)
        && w.allowSymlinks == allowSymlinks
        && w.gitExclusions == gitExclusions
        && Objects.equals(w.onlyFiles, onlyFiles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ignorePaths, allowSymlinks, gitExclusions, onlyFiles);
  }

  @Override
  public String toString() {
    return "WalkOptions[ignore="
        + ignorePaths
        + ", allowSymlinks="
        + allowSymlinks
        + ", gitExclusions="
        + gitExclusions
        + (onlyFiles == null ? "" : ", onlyFiles=" + onlyFiles.size())
        + "]";
  }
}
