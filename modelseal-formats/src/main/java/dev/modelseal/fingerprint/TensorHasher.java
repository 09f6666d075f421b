package dev.modelseal.fingerprint;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.StoredRegion;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.internal.DirectBuffers;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Computes v1 tensor digests on one thread, reusing its buffers from tensor to tensor. A tensor
 * whose canonical bytes are stored verbatim ({@link TensorSource#storedRegion()}) is hashed from
 * the file by positional reads into a direct buffer (one copy, out of the page cache, into a buffer
 * that stays in the CPU cache), or with a read-ahead thread when a core would otherwise be idle;
 * any other tensor is pulled from its converting {@link TensorStream}. Not thread-safe.
 */
final class TensorHasher {
  private static final int DIRECT = 256 * 1024;
  static final long READ_AHEAD_MIN = 16L * 1024 * 1024;

  private final AtomicBoolean abort;
  private ByteBuffer direct;
  private RegionReadAhead readAhead;

  /** A hasher that stops early (returning null) once {@code abort} is set. */
  TensorHasher(AtomicBoolean abort) {
    this.abort = abort;
  }

  /**
   * The digest of {@code source}, or null when {@link #abort} was set meanwhile.
   *
   * @param overlapRead read the file on a helper thread (when a core is idle)
   */
  Digest digest(Path file, TensorSource source, boolean overlapRead) throws ModelsealException {
    TensorInfo info = source.info();
    MessageDigest md = HashAlgorithm.sha256();
    Fingerprint.putString(md, Fingerprint.TENSOR_TAG);
    Fingerprint.putString(md, info.dtype().name());
    long[] shape = info.shape();
    Fingerprint.putU64(md, shape.length);
    for (long d : shape) {
      Fingerprint.putU64(md, d);
    }
    Fingerprint.putU64(md, info.byteLength());
    Optional<StoredRegion> region = source.storedRegion();
    boolean complete;
    if (region.isPresent() && region.get().length() == info.byteLength()) {
      complete = hashRegion(region.get(), md, overlapRead);
    } else {
      complete = hashStream(file, source, md);
    }
    return complete ? Digest.sha256(md.digest()) : null;
  }

  private boolean hashRegion(StoredRegion r, MessageDigest md, boolean overlapRead)
      throws ModelsealException {
    FileChannel ch = r.channel();
    long end = r.offset() + r.length();
    try {
      if (overlapRead && r.length() >= READ_AHEAD_MIN) {
        if (readAhead == null) {
          readAhead = new RegionReadAhead();
        }
        return readAhead.hash(ch, r.offset(), end, md, abort);
      }
      if (direct == null) {
        direct = DirectBuffers.pageAligned(DIRECT);
      }
      for (long pos = r.offset(); pos < end; ) {
        if (abort.get()) {
          return false;
        }
        direct.clear().limit((int) Math.min(DIRECT, end - pos));
        while (direct.hasRemaining()) {
          if (ch.read(direct, pos + direct.position()) < 0) {
            throw new EOFException();
          }
        }
        pos += direct.position();
        md.update(direct.flip());
      }
      return true;
    } catch (EOFException e) {
      throw new MalformedModelException(
          r.file(), "file ends inside tensor data (it changed or was truncated)");
    } catch (IOException e) {
      throw ModelIoException.of(r.file(), e);
    }
  }

  private boolean hashStream(Path file, TensorSource source, MessageDigest md)
      throws ModelsealException {
    TensorInfo info = source.info();
    long n = 0;
    try (TensorStream in = source.open()) {
      for (ByteBuffer b = in.next(); b != null; b = in.next()) {
        if (abort.get()) {
          return false;
        }
        n += b.remaining();
        if (n > info.byteLength()) {
          break;
        }
        md.update(b);
      }
    }
    if (n != info.byteLength()) {
      throw new MalformedModelException(
          file, "tensor '" + info.name() + "' delivered " + n + " bytes, not " + info.byteLength());
    }
    return true;
  }
}
