package dev.modelseal.cli;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code storage-initializer} publishes: a directory that does not exist yet is published by
 * {@code pull} itself (one atomic rename); an existing empty directory (a Kubernetes volume mount,
 * which cannot be renamed onto) is filled from a verified subdirectory. Guarantees: nothing that
 * was not verified ever appears in the directory (the model is verified and sealed read-only in
 * {@value #INCOMING} inside it, on the same file system, then its entries are renamed up); after
 * any failure the directory is emptied again; a run that died half-way (the {@value #MARKER} file
 * it writes first is still there) is cleared by the next run; a directory with anything else in it
 * is refused, never cleared.
 */
final class MountedDestination {
  /** The subdirectory {@code pull} publishes into when the destination already exists. */
  static final String INCOMING = ".modelseal-incoming";

  /** Present from the start of a run into an existing directory until its model is complete. */
  static final String MARKER = ".modelseal-incomplete";

  /** The prefix of {@code pull}'s own staging directories (it sweeps those of dead pulls). */
  private static final String STAGING = ".modelseal-staging-";

  private final Path dest;
  private final boolean direct;

  private MountedDestination(Path dest, boolean direct) {
    this.dest = dest;
    this.direct = direct;
  }

  /**
   * Checks {@code dest} and, when it exists, marks it as being filled.
   *
   * @throws InvalidInputException when it is not a directory, or not empty
   * @throws ModelIoException when it cannot be read or written
   */
  static MountedDestination prepare(Path dest) throws ModelsealException {
    Path abs = dest.toAbsolutePath().normalize();
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      return new MountedDestination(abs, true);
    }
    if (Files.isSymbolicLink(abs)) {
      throw new InvalidInputException(abs, "is a symbolic link; give the directory itself");
    }
    if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(abs, "exists and is not a directory");
    }
    List<Path> entries = entries(abs);
    boolean interrupted = entries.stream().anyMatch(p -> name(p).equals(MARKER));
    if (interrupted) {
      for (Path p : entries) {
        if (!name(p).equals(MARKER)) {
          delete(p);
        }
      }
    } else if (!entries.isEmpty()) {
      throw new InvalidInputException(
          abs,
          "is not empty (the storage initializer fills an empty directory; "
              + name(entries.get(0))
              + " is there)");
    }
    try {
      if (!interrupted) {
        Files.createFile(abs.resolve(MARKER));
      }
    } catch (IOException e) {
      throw new ModelIoException(abs, "cannot write: " + ModelIoException.describe(e), e);
    }
    return new MountedDestination(abs, false);
  }

  /** The {@code --to} directory for {@code pull}. */
  Path pullTarget() {
    return direct ? dest : dest.resolve(INCOMING);
  }

  /** The destination directory. */
  Path directory() {
    return dest;
  }

  /**
   * Moves the verified model up into the destination (nothing to do when {@code pull} published it
   * there itself). On failure the destination is emptied and the exception propagates.
   */
  void complete() throws ModelsealException {
    if (direct) {
      return;
    }
    Path incoming = pullTarget();
    try {
      for (Path p : entries(incoming)) {
        String n = name(p);
        if (n.equals(MARKER) || n.equals(INCOMING)) {
          throw new InvalidInputException(p, "the model has a file named like modelseal's own");
        }
        Files.move(p, dest.resolve(n), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.delete(incoming);
      Files.delete(dest.resolve(MARKER));
    } catch (IOException | ModelsealException e) {
      clear();
      if (e instanceof ModelsealException m) {
        throw m;
      }
      throw new ModelIoException(
          dest, "cannot move the model in: " + ModelIoException.describe((IOException) e), e);
    }
  }

  /** After a failed pull (which published nothing): the destination is left empty. */
  void abandon() {
    if (!direct) {
      clear();
    }
  }

  /** Best effort: everything but live staging directories, the marker last. */
  private void clear() {
    try {
      for (Path p : entries(dest)) {
        if (!name(p).equals(MARKER)) {
          delete(p);
        }
      }
      Files.deleteIfExists(dest.resolve(MARKER));
    } catch (ModelsealException | IOException e) {
      // the marker stays: the next run clears the directory before it starts
    }
  }

  /** The entries, without {@code pull}'s own staging directories. */
  private static List<Path> entries(Path dir) throws ModelsealException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!name(p).startsWith(STAGING)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(dir, e);
    }
    return out;
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  /** Deletes a file or a tree without following links (published files are read-only). */
  private static void delete(Path p) throws ModelsealException {
    try {
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(p);
        return;
      }
      Files.walkFileTree(
          p,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
                throws IOException {
              d.toFile().setWritable(true, true);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.delete(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw ModelIoException.of(p, e);
    }
  }
}
