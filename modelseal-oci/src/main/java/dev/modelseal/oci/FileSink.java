package dev.modelseal.oci;

import dev.modelseal.ModelsealException;

/**
 * Where a layer's files go: a staged copy (pull, verify) or a digest list (signing). Each file's
 * bytes arrive in order, then {@link File#finish}.
 */
interface FileSink {
  /** Starts file {@code name} of {@code size} bytes (a checked resource name). */
  File newFile(String name, long size) throws ModelsealException;

  /** One file being received. */
  interface File {
    void write(byte[] b, int off, int len) throws ModelsealException;

    void finish() throws ModelsealException;
  }
}
