package dev.modelseal.pin;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** Publishes a sealed staging directory at its target by rename; see {@link ModelPin#publish}. */
final class Publisher {
  private Publisher() {}

  static void publish(Path dir, Path wrapper, Path target, boolean replace)
      throws ModelsealException {
    openUp(dir);
    if (!replace) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw exists(target);
      }
      move(dir, target);
      return;
    }
    Path old = wrapper.resolve("previous");
    boolean moved = false;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(target, "exists and is not a directory; not replaced");
      }
      try {
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        moved = true;
      } catch (IOException e) {
        throw new ModelIoException(
            target, "cannot move the old model away: " + ModelIoException.describe(e), e);
      }
    }
    try {
      move(dir, target);
    } catch (ModelsealException e) {
      if (moved) {
        try {
          Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
          // the old model stays in the staging area, which the caller then deletes
        }
      }
      throw e;
    }
    if (moved) {
      makeWritable(old);
      PrivateCopy.deleteTree(old);
    }
  }

  private static void move(Path dir, Path target) throws ModelsealException {
    try {
      // rename(2): atomic; fails on a non-empty directory, so a racing publisher cannot mix in.
      Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw exists(target);
    } catch (IOException e) {
      throw new ModelIoException(target, "cannot publish: " + ModelIoException.describe(e), e);
    }
  }

  private static InvalidInputException exists(Path target) {
    return new InvalidInputException(
        target, "target already exists (use --replace, or another pull published it first)");
  }

  /** Directories rwxr-xr-x, files r--r--r--: readable by the serving process, changed by none. */
  private static void openUp(Path dir) throws ModelsealException {
    if (!StagedCopy.posix()) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        boolean d = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(d ? "rwxr-xr-x" : "r--r--r--"));
      }
    } catch (IOException e) {
      throw ModelIoException.of(dir, e);
    }
  }

  private static void makeWritable(Path d) {
    try (Stream<Path> s = Files.walk(d)) {
      s.forEach(p -> p.toFile().setWritable(true, true));
    } catch (IOException e) {
      // best effort
    }
  }
}
