package dev.modelseal.internal;

import dev.modelseal.ModelIoException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes small output files (lock files, signatures, attestations) atomically: a temporary file in
 * the same directory, renamed into place, so a reader sees the old file or the new one and a
 * failure leaves no partial output.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code file} atomically. */
  public static void write(Path file, byte[] bytes) throws ModelIoException {
    write(file, out -> out.write(bytes));
  }

  /** Writes a file's content to a stream. */
  @FunctionalInterface
  public interface Content {
    /** Writes the content to {@code out} (buffered; closed by the caller). */
    void writeTo(java.io.OutputStream out) throws IOException;
  }

  /**
   * Writes what {@code content} produces to {@code file} atomically, as a stream (memory does not
   * grow with the file): readers see the old file or the whole new one, never part of it. The file
   * gets the permissions of any new file (0666 less the umask): signatures, lock files,
   * attestations and reports are read by other users, such as the one a model server runs as.
   */
  public static void write(Path file, Content content) throws ModelIoException {
    write(file, content, false);
  }

  /**
   * Writes a secret (a private key) to {@code file}, which must not exist yet: created owner-only
   * (0600) from the start, whatever the umask, and never replacing an existing file.
   */
  public static void writeSecret(Path file, byte[] bytes) throws ModelIoException {
    write(file, out -> out.write(bytes), true);
  }

  /**
   * Writes {@code bytes} to {@code file}, which must not exist yet, with default permissions
   * (umask), atomically: a concurrent writer of the same name makes this fail rather than replace
   * its file.
   */
  public static void writeNew(Path file, byte[] bytes) throws ModelIoException {
    Path abs = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = createTemp(abs.getParent(), false);
      try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
        out.write(bytes);
      }
      Files.createLink(abs, tmp); // fails when file exists: no overwrite, no race
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ModelIoException(file, "already exists; not overwritten", e);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void write(Path file, Content content, boolean secret) throws ModelIoException {
    Path abs = file.toAbsolutePath();
    Path tmp = null;
    try {
      if (secret && Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new java.nio.file.FileAlreadyExistsException(file.toString());
      }
      tmp = createTemp(abs.getParent(), secret);
      try (java.io.OutputStream out =
          new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
        content.writeTo(out);
      }
      if (secret) {
        Files.createLink(abs, tmp); // fails when file exists: never replaces a key
      } else {
        try {
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
        tmp = null;
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ModelIoException(file, "already exists; not overwritten", e);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * A new empty temporary file in {@code dir} with a random name: owner-only when {@code secret},
   * else with the default permissions of a new file (which {@link Files#createTempFile} would
   * narrow to owner-only).
   */
  private static Path createTemp(Path dir, boolean secret) throws IOException {
    for (int attempt = 0; ; attempt++) {
      long r = RANDOM.nextLong();
      Path tmp = dir.resolve(".modelseal-" + Long.toUnsignedString(r, 36) + ".tmp");
      try {
        if (secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          return Files.createFile(
              tmp,
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createFile(tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp != null) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // best effort: a temporary file
      }
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
}
