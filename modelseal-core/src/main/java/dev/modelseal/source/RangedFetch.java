package dev.modelseal.source;

import dev.modelseal.ModelsealException;
import dev.modelseal.pin.StagedCopy.StagedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Fetches one large resource over several connections into a {@link StagedFile} while it is hashed
 * in order: the file is cut into parts, each part is one ranged request on one of {@code
 * connections} worker threads and is stored at its position ({@link StagedFile#writeAt}); the
 * calling thread hashes the stored contiguous prefix as it grows ({@link StagedFile#hashStored}),
 * so hashing runs while the parts are still arriving. The one implementation for every store (S3,
 * OCI registries): a store only says how to open a byte range and how to wait before a retry.
 *
 * <p>Guarantees: memory is flat (one 64 KiB buffer per connection; bytes go to the staged file, not
 * to memory); workers never run more than {@code window} parts ahead of the hashed prefix; a part
 * that fails mid-way is resumed alone from its last stored byte, with the store's bounded retries
 * (the failure count restarts after a range arrives whole); the first permanent failure stops every
 * worker, closes their connections and is thrown; the method returns only after every worker has
 * stopped, so nothing writes into the file afterwards. Not checked here: the bytes' digest (the
 * staged copy hashes them; the pin or the caller compares).
 */
public final class RangedFetch {
  private static final int BUFFER = 64 * 1024;

  private final int connections;
  private final long partSize;
  private final int window;

  /** Opens byte ranges of one resource. */
  public interface Ranges {
    /**
     * A stream of exactly bytes {@code [start, end)} of the resource.
     *
     * @throws IOException on a transient failure (retried through {@link Retry})
     * @throws ModelsealException on a permanent one (the resource changed, was refused, ...)
     */
    InputStream open(long start, long end) throws IOException, ModelsealException;
  }

  /** A store's bounded retry policy. */
  public interface Retry {
    /**
     * Called after transient failure number {@code failures + 1} of one part: waits and returns the
     * new count, or throws once the attempts are used up.
     */
    int retry(int failures, String reason, Exception cause) throws ModelsealException;
  }

  /**
   * @param connections parallel connections (ranged requests in flight) for one resource, 1-64
   * @param partSize bytes per ranged request, at least 1 MiB
   */
  public RangedFetch(int connections, long partSize) {
    if (connections < 1 || connections > 64) {
      throw new IllegalArgumentException("connections must be between 1 and 64");
    }
    if (partSize < (1 << 20)) {
      throw new IllegalArgumentException("the part size must be at least 1 MiB");
    }
    this.connections = connections;
    this.partSize = partSize;
    this.window = connections + 1;
  }

  /**
   * The connections each large object of a pull gets, so that the pull's connections stay within
   * its {@code parallelism}: several per object only when there are fewer large objects than
   * parallel downloads (one big file: all of them, up to {@code configured}); 1 when there is no
   * large object. Measured on 2 cores (benchmarks/README.md): more connections than that only
   * compete for the CPU.
   */
  public static int connectionsPerObject(int configured, int parallelism, int largeObjects) {
    if (largeObjects == 0) {
      return 1;
    }
    return Math.max(1, Math.min(configured, parallelism / Math.min(largeObjects, parallelism)));
  }

  /** Connections per resource. */
  public int connections() {
    return connections;
  }

  /** Bytes per ranged request. */
  public long partSize() {
    return partSize;
  }

  /**
   * Fetches all of {@code file} (empty, {@linkplain StagedFile#positional positional}) and hashes
   * it; the caller then {@linkplain StagedFile#finish finishes} it.
   *
   * @param cancelled set by the caller's other transfers when they fail: stops this one
   * @param cancellation the failure thrown when {@code cancelled} is seen
   * @param progress told of every stored chunk's length
   */
  public void fetch(
      StagedFile file,
      Ranges ranges,
      Retry retry,
      AtomicBoolean cancelled,
      Supplier<ModelsealException> cancellation,
      LongConsumer progress)
      throws ModelsealException {
    if (!file.positional() || file.position() != 0) {
      throw new IllegalArgumentException("needs an empty, positional staged file");
    }
    new Run(file, ranges, retry, cancelled, cancellation, progress).run();
  }

  /** The state of one fetch, shared by its workers under {@link #lock}. */
  private final class Run {
    private final StagedFile file;
    private final Ranges ranges;
    private final Retry retry;
    private final AtomicBoolean cancelled;
    private final Supplier<ModelsealException> cancellation;
    private final LongConsumer progress;
    private final long size;
    private final int parts;
    private final long[] stored;
    private final InputStream[] open;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int nextPart;
    private int firstIncomplete;
    private long hashed;
    private boolean stop;
    private ModelsealException failure;
    private RuntimeException bug;

    Run(
        StagedFile file,
        Ranges ranges,
        Retry retry,
        AtomicBoolean cancelled,
        Supplier<ModelsealException> cancellation,
        LongConsumer progress) {
      this.file = file;
      this.ranges = ranges;
      this.retry = retry;
      this.cancelled = cancelled;
      this.cancellation = cancellation;
      this.progress = progress;
      this.size = file.size();
      long p = (size + partSize - 1) / partSize;
      if (p > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("too many parts");
      }
      this.parts = (int) p;
      this.stored = new long[parts];
      this.open = new InputStream[connections];
    }

    void run() throws ModelsealException {
      int n = Math.max(1, Math.min(connections, parts));
      List<Thread> workers = new ArrayList<>();
      try {
        for (int w = 0; w < n; w++) {
          int slot = w;
          Thread t = new Thread(() -> work(slot), "modelseal-range-" + w);
          t.setDaemon(true);
          workers.add(t);
          t.start();
        }
        hashInOrder();
      } finally {
        stopAll();
        boolean interrupted = false;
        for (Thread t : workers) {
          while (true) {
            try {
              t.join();
              break;
            } catch (InterruptedException e) {
              interrupted = true;
              stopAll();
            }
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** The calling thread: hashes the contiguous stored prefix until the whole file is hashed. */
    private void hashInOrder() throws ModelsealException {
      while (hashed < size) {
        long frontier;
        lock.lock();
        try {
          while (true) {
            throwIfFailed();
            frontier = frontier();
            if (frontier > hashed) {
              break;
            }
            try {
              changed.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw cancellation.get();
            }
          }
        } finally {
          lock.unlock();
        }
        file.hashStored(frontier);
        lock.lock();
        try {
          hashed = frontier;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
      lock.lock();
      try {
        throwIfFailed();
      } finally {
        lock.unlock();
      }
    }

    private void throwIfFailed() throws ModelsealException {
      if (bug != null) {
        throw bug;
      }
      if (failure != null) {
        throw failure;
      }
      if (cancelled.get()) {
        throw cancellation.get();
      }
    }

    /** Under the lock: the end of the prefix whose every byte is stored. */
    private long frontier() {
      while (firstIncomplete < parts && stored[firstIncomplete] == length(firstIncomplete)) {
        firstIncomplete++;
      }
      long f = (long) firstIncomplete * partSize;
      return firstIncomplete < parts ? f + stored[firstIncomplete] : size;
    }

    private long length(int part) {
      return Math.min(partSize, size - (long) part * partSize);
    }

    private void work(int slot) {
      byte[] buf = new byte[BUFFER];
      try {
        for (int part; (part = claim()) >= 0; ) {
          fetchPart(slot, part, buf);
        }
      } catch (ModelsealException e) {
        fail(e, null);
      } catch (RuntimeException e) {
        fail(null, e);
      }
    }

    /** The next part to fetch, waiting while it lies beyond the window; -1 when done or stopped. */
    private int claim() {
      lock.lock();
      try {
        while (!stop && nextPart < parts && nextPart >= hashed / partSize + window) {
          try {
            changed.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
          }
          if (cancelled.get()) {
            return -1;
          }
        }
        if (stop || cancelled.get() || nextPart >= parts) {
          return -1;
        }
        return nextPart++;
      } finally {
        lock.unlock();
      }
    }

    private void fetchPart(int slot, int part, byte[] buf) throws ModelsealException {
      long start = (long) part * partSize;
      long len = length(part);
      long have = 0;
      int failures = 0;
      while (have < len) {
        if (stopped()) {
          return;
        }
        try (InputStream in = ranges.open(start + have, start + len)) {
          register(slot, in);
          while (have < len) {
            if (stopped()) {
              return;
            }
            int n = in.read(buf, 0, (int) Math.min(buf.length, len - have));
            if (n < 0) {
              throw new IOException(
                  "connection closed after "
                      + (start + have)
                      + " bytes, the range ends at "
                      + (start + len));
            }
            file.writeAt(buf, 0, n, start + have);
            have += n;
            stored(part, have);
            progress.accept(n);
          }
          failures = 0;
        } catch (IOException e) {
          if (stopped()) {
            return;
          }
          failures = retry.retry(failures, oneLine(e), e);
        } finally {
          register(slot, null);
        }
      }
    }

    private boolean stopped() {
      lock.lock();
      try {
        return stop || cancelled.get();
      } finally {
        lock.unlock();
      }
    }

    private void register(int slot, InputStream in) {
      lock.lock();
      try {
        open[slot] = in;
      } finally {
        lock.unlock();
      }
    }

    private void stored(int part, long have) {
      lock.lock();
      try {
        stored[part] = have;
        if (part == firstIncomplete) {
          changed.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    private void fail(ModelsealException e, RuntimeException r) {
      lock.lock();
      try {
        if (failure == null && bug == null && !stop) {
          failure = e;
          bug = r;
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      stopAll();
    }

    /** Stops every worker and closes the connections they are reading from. */
    private void stopAll() {
      List<InputStream> toClose = new ArrayList<>();
      lock.lock();
      try {
        stop = true;
        for (InputStream in : open) {
          if (in != null) {
            toClose.add(in);
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      for (InputStream in : toClose) {
        try {
          in.close();
        } catch (IOException | RuntimeException e) {
          // best effort: the worker sees the closed stream and stops
        }
      }
    }
  }

  private static String oneLine(Exception e) {
    Throwable t = e;
    if (t instanceof java.net.SocketTimeoutException) {
      return "read timed out (stalled)";
    }
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
