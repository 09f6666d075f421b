package dev.modelseal.fingerprint;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Computes v1 weight fingerprints ({@code docs/fingerprint.md}). Tensor digests are independent, so
 * tensors are hashed on {@link #threads(int)} threads at once: each thread takes the next tensor of
 * one list sorted largest first (no queue of pending work), and the result is sorted by name, so it
 * does not depend on the schedule. Tensors stored verbatim are hashed straight from the file with
 * large positional reads; once no tensor is left to start, a large tensor is read ahead on the idle
 * core. Memory stays flat whatever the model size: a few MiB of buffers per thread.
 *
 * <p>Guarantee: each tensor digest covers exactly {@link TensorInfo#byteLength()} canonical bytes
 * delivered by the reader, preceded by the version tag, dtype and shape; a source delivering
 * another number of bytes fails the whole fingerprint, and the first failure of any tensor stops
 * the others and is thrown.
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
    TensorSource[] order = model.tensors().toArray(new TensorSource[0]);
    Arrays.sort(
        order, Comparator.comparingLong((TensorSource s) -> s.info().byteLength()).reversed());
    TensorFingerprint[] out = new TensorFingerprint[order.length];
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean abort = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int n = Math.min(threads, order.length);
    Runnable work = () -> work(model.path(), order, out, next, abort, failure, threads > 1);
    List<Thread> helpers = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      Thread t = new Thread(work, "modelseal-fingerprint-" + i);
      t.setDaemon(true);
      t.start();
      helpers.add(t);
    }
    work.run();
    for (Thread t : helpers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        abort.set(true);
        Thread.currentThread().interrupt();
        throw new ModelIoException(model.path(), "interrupted while fingerprinting", e);
      }
    }
    Throwable t = failure.get();
    if (t != null) {
      throw rethrow(t);
    }
    return Fingerprint.of(Arrays.asList(out));
  }

  private static void work(
      Path file,
      TensorSource[] order,
      TensorFingerprint[] out,
      AtomicInteger next,
      AtomicBoolean abort,
      AtomicReference<Throwable> failure,
      boolean parallel) {
    TensorHasher hasher = new TensorHasher(abort);
    for (int i = next.getAndIncrement(); i < order.length; i = next.getAndIncrement()) {
      if (abort.get()) {
        return;
      }
      // Nothing left to start: the other threads go idle as they finish, so read ahead.
      boolean overlap = parallel && next.get() >= order.length;
      try {
        Digest d = hasher.digest(file, order[i], overlap);
        if (d != null) {
          out[i] = new TensorFingerprint(order[i].info(), d);
        }
      } catch (ModelsealException | RuntimeException | Error e) {
        failure.compareAndSet(null, e);
        abort.set(true);
        return;
      }
    }
  }

  private static ModelsealException rethrow(Throwable t) {
    if (t instanceof ModelsealException m) {
      return m;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  /** The v1 tensor digest of one source. */
  public static Digest tensorDigest(Path file, TensorSource source) throws ModelsealException {
    return new TensorHasher(new AtomicBoolean()).digest(file, source, false);
  }
}
