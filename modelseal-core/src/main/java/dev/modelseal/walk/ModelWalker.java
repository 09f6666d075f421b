package dev.modelseal.walk;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the files that make up a model, following the OMS v1.0 rules.
 *
 * <p>Guarantees of a returned {@link ModelTree}: at least one file; only regular files (FIFOs,
 * sockets and devices are refused); every name valid per {@link ResourceNames}; names unique and
 * sorted by code point; no symbolic link unless {@link WalkOptions#allowSymlinks()}, and even then
 * none that leaves the model root or forms a cycle. The root itself may be a symbolic link (for
 * example {@code current -> v3}); it is resolved once. With {@link WalkOptions#onlyFiles}, entries
 * outside the listed names are skipped before any of these checks (they are not part of the model).
 */
public final class ModelWalker {
  private final WalkOptions options;

  private ModelWalker(WalkOptions options) {
    this.options = options;
  }

  /** A walker with the given options. */
  public static ModelWalker with(WalkOptions options) {
    return new ModelWalker(options);
  }

  /**
   * Walks {@code model}, a directory or a single file.
   *
   * @throws InvalidInputException when the tree breaks a rule
   * @throws ModelIoException when a file or directory cannot be read
   */
  public ModelTree walk(Path model) throws ModelsealException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(model, BasicFileAttributes.class);
    } catch (IOException e) {
      throw ModelIoException.of(model, e);
    }
    if (attrs.isRegularFile()) {
      Path name = model.toAbsolutePath().normalize().getFileName();
      if (name == null) {
        throw new InvalidInputException(model, "a model file needs a name");
      }
      String n = checkedName(model, name.toString());
      return new ModelTree(model, true, List.of(new ModelFile(n, model, attrs.size())), options);
    }
    if (!attrs.isDirectory()) {
      throw new InvalidInputException(
          model, "not a regular file or directory (FIFOs, sockets and devices are refused)");
    }
    Path rootReal;
    try {
      rootReal = model.toRealPath();
    } catch (IOException e) {
      throw ModelIoException.of(model, e);
    }
    List<ModelFile> files = new ArrayList<>();
    Deque<Path> ancestors = new ArrayDeque<>();
    ancestors.push(rootReal);
    walkDirectory(model, rootReal, "", rootReal, ancestors, files);
    if (files.isEmpty()) {
      throw new InvalidInputException(model, "the model has no files (after exclusions)");
    }
    files.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    Set<String> seen = new HashSet<>();
    for (ModelFile f : files) {
      if (!seen.add(f.name())) {
        throw new InvalidInputException(f.path(), "duplicate resource name '" + f.name() + "'");
      }
    }
    return new ModelTree(model, false, files, options);
  }

  private void walkDirectory(
      Path dir,
      Path dirReal,
      String prefix,
      Path rootReal,
      Deque<Path> ancestors,
      List<ModelFile> out)
      throws ModelsealException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        entries.add(p);
      }
    } catch (IOException e) {
      throw ModelIoException.of(dir, e);
    }
    for (Path entry : entries) {
      String base = entry.getFileName().toString();
      String name = prefix.isEmpty() ? base : prefix + "/" + base;
      if (options.isIgnored(name)) {
        continue;
      }
      BasicFileAttributes attrs = attributes(entry, LinkOption.NOFOLLOW_LINKS);
      if (!options.admits(name, attrs.isDirectory())) {
        continue;
      }
      checkedName(entry, name);
      Path real = dirReal.resolve(base);
      if (attrs.isSymbolicLink()) {
        if (!options.allowSymlinks()) {
          throw new InvalidInputException(
              entry, "symbolic link in model (not allowed; --allow-symlinks to follow it)");
        }
        try {
          real = entry.toRealPath();
        } catch (NoSuchFileException e) {
          throw new InvalidInputException(entry, "symbolic link to a missing target");
        } catch (IOException e) {
          throw ModelIoException.of(entry, e);
        }
        if (!real.startsWith(rootReal)) {
          throw new InvalidInputException(entry, "symbolic link leaves the model root");
        }
        attrs = attributes(entry);
      }
      if (attrs.isDirectory()) {
        if (ancestors.contains(real)) {
          throw new InvalidInputException(entry, "symbolic link cycle");
        }
        ancestors.push(real);
        walkDirectory(entry, real, name, rootReal, ancestors, out);
        ancestors.pop();
      } else if (attrs.isRegularFile()) {
        out.add(new ModelFile(name, entry, attrs.size()));
      } else {
        throw new InvalidInputException(
            entry, "not a regular file (FIFO, socket or device files are refused)");
      }
    }
  }

  private static BasicFileAttributes attributes(Path p, LinkOption... options)
      throws ModelIoException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, options);
    } catch (IOException e) {
      throw ModelIoException.of(p, e);
    }
  }

  private static String checkedName(Path file, String name) throws InvalidInputException {
    String problem = ResourceNames.check(name);
    if (problem != null) {
      throw new InvalidInputException(file, "unusable file name: " + problem);
    }
    return name;
  }
}
