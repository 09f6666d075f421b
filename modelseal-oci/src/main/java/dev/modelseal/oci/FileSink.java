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

    /**
     * After {@link #finish}: the file's SHA-256 as the sink computed it, when it computes one (a
     * staged copy with the files method and SHA-256), so that a raw layer is hashed once.
     */
    default java.util.Optional<String> sha256() {
      return java.util.Optional.empty();
    }

    /**
     * The staged file behind this one when it takes positional writes (a staged copy, not a digest
     * list or a hash-only check), for a layer fetched over several connections.
     */
    default java.util.Optional<dev.modelseal.pin.StagedCopy.StagedFile> positional() {
      return java.util.Optional.empty();
    }

    /** Whether {@link #sha256} will report the digest once the file is finished. */
    default boolean hashesSha256() {
      return false;
    }
  }
}
