package dev.modelseal.oci;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One blob as a stream of exactly its descriptor's size: resumed with a ranged request after a
 * transient failure (bounded attempts with backoff), each byte hashed with SHA-256 as it passes,
 * and at the end the hash compared (constant time) with the descriptor's digest. A blob longer or
 * shorter than its descriptor, or whose bytes hash to another digest, fails as {@link
 * OciIntegrityException}; errors reach the caller wrapped in {@link Failure} (unwrap with {@link
 * #unwrap}).
 */
final class BlobStream extends InputStream {
  private final Repository repo;
  private final Descriptor blob;
  private final String where;
  private final AtomicBoolean abort;
  private final MessageDigest md;
  private RegistryClient.Response current;
  private InputStream in;
  private long position;
  private int failures;
  private boolean verified;

  BlobStream(Repository repo, Descriptor blob, AtomicBoolean abort) {
    this(repo, blob, abort, true);
  }

  /**
   * With {@code hash} false the caller checks the digest itself (from the one hash it already
   * computes of the same bytes, see {@link FileSink.File#sha256}); the size is still checked here.
   */
  BlobStream(Repository repo, Descriptor blob, AtomicBoolean abort, boolean hash) {
    this.md = hash ? HashAlgorithm.sha256() : null;
    this.repo = repo;
    this.blob = blob;
    this.where = repo.where(blob.digest());
    this.abort = abort;
  }

  /** A {@link ModelsealException} carried through {@link InputStream}'s signatures. */
  static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient ModelsealException failure;

    Failure(ModelsealException e) {
      super(e.getMessage(), e);
      this.failure = e;
    }
  }

  /** The {@link ModelsealException} inside {@code e}, if any, else null. */
  static ModelsealException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Failure f) {
        return f.failure;
      }
    }
    return null;
  }

  /** Bytes delivered so far. */
  long position() {
    return position;
  }

  @Override
  public int read() throws IOException {
    byte[] b = new byte[1];
    int n = read(b, 0, 1);
    return n < 0 ? -1 : b[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (abort.get()) {
        throw new Failure(new OciTransferException(where, "cancelled: another blob failed", null));
      }
      if (position == blob.size()) {
        verify();
        return -1;
      }
      try {
        if (in == null) {
          open();
        }
        int want = (int) Math.min(len, blob.size() - position);
        int n = in.read(b, off, want);
        if (n < 0) {
          throw new IOException(
              "connection closed after " + position + " of " + blob.size() + " bytes");
        }
        if (md != null) {
          md.update(b, off, n);
        }
        position += n;
        return n;
      } catch (Failure f) {
        closeCurrent();
        throw f;
      } catch (IOException e) {
        closeCurrent();
        try {
          failures = repo.client().backoff(where, failures, RegistryClient.oneLine(e), e);
        } catch (ModelsealException m) {
          throw new Failure(m);
        }
      } catch (RegistryClient.Retryable e) {
        closeCurrent();
        try {
          failures = repo.client().backoff(where, failures, e.getMessage(), e.getCause());
        } catch (ModelsealException m) {
          throw new Failure(m);
        }
      } catch (ModelsealException e) {
        closeCurrent();
        throw new Failure(e);
      }
    }
  }

  private void open() throws IOException, ModelsealException, RegistryClient.Retryable {
    RegistryClient.Response r = repo.openBlob(blob.digest(), position);
    current = r;
    long remaining = blob.size() - position;
    boolean ranged = r.status() == 206;
    Repository.requireLength(r, where, ranged, ranged || position == 0 ? remaining : blob.size());
    in = r.body();
    if (!ranged && position > 0) {
      in.skipNBytes(position); // the registry ignored the range: skip what was hashed already
    }
  }

  private void verify() throws Failure {
    if (verified) {
      return;
    }
    if (md == null) {
      closeCurrent();
      verified = true;
      return;
    }
    String got = "sha256:" + HexFormat.of().formatHex(md.digest());
    closeCurrent();
    requireDigest(got);
    verified = true;
  }

  /** Fails unless {@code got} (the sha256 of the blob's bytes) is the descriptor's digest. */
  void requireDigest(String got) throws Failure {
    if (!Repository.digestsEqual(got, blob.digest())) {
      throw new Failure(
          new OciIntegrityException(
              where,
              "the blob's bytes hash to "
                  + got
                  + ", not to its digest (replaced in the registry's storage, or a lying"
                  + " descriptor)"));
    }
  }

  /** Reads to the end (so the digest is checked) and closes. */
  void drainAndVerify() throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (read(buf, 0, buf.length) >= 0) {
      // the bytes were already consumed by the reader above; this checks the rest and the digest
    }
  }

  private void closeCurrent() {
    if (current != null) {
      current.close();
      current = null;
    }
    in = null;
  }

  @Override
  public void close() {
    closeCurrent();
  }
}
