package dev.modelseal.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The check made before a small input file (a key, signature, lock file, attestation, metrics or
 * password file) is opened: it must be a regular file. Opening a FIFO for reading blocks until a
 * writer appears, so without this check a named pipe given by mistake would hang the tool.
 */
public final class RegularFiles {
  private RegularFiles() {}

  /**
   * Returns the size of {@code file} when it is a regular file (symbolic links followed).
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws IOException with a one-line reason when it is a directory, FIFO, socket or device
   */
  public static long requireRegular(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (a.isDirectory()) {
      throw new IOException("is a directory, not a file");
    }
    if (!a.isRegularFile()) {
      throw new IOException("not a regular file (FIFOs, sockets and devices are refused)");
    }
    return a.size();
  }
}
