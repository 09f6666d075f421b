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
   * grow with the file): readers see the old file or the whole new one, never part of it.
   */
  public static void write(Path file, Content content) throws ModelIoException {
    Path abs = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(abs.getParent(), ".modelseal-", ".tmp");
      try (java.io.OutputStream out =
          new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
        content.writeTo(out);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // best effort: a temporary file
        }
      }
    }
  }
}
