package dev.modelseal.fingerprint;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Computes v1 weight fingerprints ({@code docs/fingerprint.md}). Tensors are streamed in bounded
 * chunks, several at a time on {@link #threads(int)} threads (largest first), so memory stays flat
 * whatever the model size.
 *
 * <p>Guarantee: each tensor digest covers exactly {@link TensorInfo#byteLength()} canonical bytes
 * delivered by the reader, preceded by the version tag, dtype and shape; a source delivering
 * another number of bytes fails the whole fingerprint.
 */
public final class Fingerprinter {
  private final int threads;

  private Fingerprinter(int threads) {
    this.threads = threads;
  }

  /** A fingerprinter using every available core. */
  public static Fingerprinter create() {
    return new Fingerprinter(Runtime.getRuntime().availableProcessors());
  }

  /** The same fingerprinter with {@code n} threads (at least one). */
  public Fingerprinter threads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    return new Fingerprinter(n);
  }

  /** Opens {@code path} (format detected by content) and fingerprints it. */
  public Fingerprint fingerprint(Path path) throws ModelsealException {
    try (TensorModel m = FormatDetector.create().open(path)) {
      return fingerprint(m);
    }
  }

  /** Fingerprints an opened model. */
  public Fingerprint fingerprint(TensorModel model) throws ModelsealException {
    List<TensorSource> order = new ArrayList<>(model.tensors());
    order.sort(Comparator.comparingLong((TensorSource s) -> s.info().byteLength()).reversed());
    List<TensorFingerprint> out = new ArrayList<>(order.size());
    if (threads == 1 || order.size() < 2) {
      for (TensorSource s : order) {
        out.add(new TensorFingerprint(s.info(), tensorDigest(model.path(), s)));
      }
      return Fingerprint.of(out);
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, order.size()));
    try {
      List<Future<TensorFingerprint>> fs = new ArrayList<>(order.size());
      for (TensorSource s : order) {
        fs.add(pool.submit(() -> new TensorFingerprint(s.info(), tensorDigest(model.path(), s))));
      }
      for (Future<TensorFingerprint> f : fs) {
        out.add(get(f));
      }
    } finally {
      pool.shutdownNow();
    }
    return Fingerprint.of(out);
  }

  private static TensorFingerprint get(Future<TensorFingerprint> f) throws ModelsealException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ModelsealException m) {
        throw m;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(c);
    }
  }

  /** The v1 tensor digest of one source. */
  public static Digest tensorDigest(Path file, TensorSource source) throws ModelsealException {
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
    long n = 0;
    try (TensorStream in = source.open()) {
      for (ByteBuffer b = in.next(); b != null; b = in.next()) {
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
    return Digest.sha256(md.digest());
  }
}
