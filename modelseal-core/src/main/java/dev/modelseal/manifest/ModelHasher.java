package dev.modelseal.manifest;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelChangedException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.digest.Hasher;
import dev.modelseal.internal.DirectBuffers;
import dev.modelseal.internal.Sha256WarmUp;
import dev.modelseal.walk.ModelFile;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ResourceNames;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes a {@link ModelTree} into a {@link Manifest}, on every core.
 *
 * <p>Work is split into resources (a file, or a shard of one), scheduled largest first on a pool of
 * {@link #threads(int)} threads; small resources are batched so thousands of tiny files cost
 * little. Each thread reads with positional reads into one page-aligned direct buffer, copies each
 * read into an array and hashes that: memory stays flat whatever the model size (512 KiB per
 * thread). Memory mappings are not used: a mapped file truncated by another process raises an
 * asynchronous error in the JVM, and with two threads mapping and unmapping windows the benchmark
 * ran 10-20% slower than with reads.
 *
 * <p>Guarantee: a returned manifest's digests are of bytes read from the files, each file checked
 * before and after reading (size, modification time, identity). A file that changes while it is
 * read raises {@link ModelChangedException}; a wrong digest is never returned. With a {@link
 * ContentSink}, the sink receives exactly the bytes that were hashed.
 */
public final class ModelHasher {
  private static final int BUFFER = 256 * 1024;
  private static final int UPDATE = 16 * 1024;

  /**
   * Models from this size wait for the JIT's SHA-256 warm-up (~80 ms of one core) first, when one
   * was started ({@link #startJitWarmUp}).
   */
  private static final long WARM_UP_FROM = 256L * 1024 * 1024;

  private static final long SMALL = 4L * 1024 * 1024;
  private static final long BATCH_BYTES = 16L * 1024 * 1024;
  private static final int BATCH_COUNT = 256;

  private final Serialization serialization;
  private final int threads;
  private final HashProgress progress;

  private ModelHasher(Serialization serialization, int threads, HashProgress progress) {
    this.serialization = Objects.requireNonNull(serialization, "serialization");
    this.threads = threads;
    this.progress = progress;
  }

  /**
   * A hasher for {@code serialization} using every available core, with two threads per core: a
   * resource's digest is sequential, so with one thread per core a thread slowed down at start-up
   * (by the JIT compilers, or the verifier's own work) leaves a core idle while it finishes its
   * last file; with two the operating system shares the cores among the threads still running
   * (benchmarks/README.md: 2 GiB in 8 files, median 1.16 s to 1.12 s on 2 cores).
   */
  public static ModelHasher of(Serialization serialization) {
    return new ModelHasher(
        serialization, 2 * Runtime.getRuntime().availableProcessors(), HashProgress.NONE);
  }

  /**
   * Starts, once per JVM and in a daemon thread, the JIT warm-up of the JDK's SHA-256 (a few
   * thousand throwaway one-block digests, ~80 ms of one core): a short-lived process that is about
   * to hash a large model (a command-line tool at start-up) reaches full hashing speed sooner,
   * since {@link #hash} of a model of 256 MiB or more then waits for it (at most 0.3 s) before its
   * hashing threads start. Optional and explicit: nothing else starts it, so a long-lived library
   * caller, whose JIT is warm after the first model anyway, never pays for it. Affects no result.
   */
  public static void startJitWarmUp() {
    Sha256WarmUp.startInBackground();
  }

  /** The same hasher with {@code n} threads (at least one). */
  public ModelHasher threads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    return new ModelHasher(serialization, n, progress);
  }

  /** The same hasher reporting progress to {@code p} (from several threads). */
  public ModelHasher progress(HashProgress p) {
    return new ModelHasher(serialization, threads, Objects.requireNonNull(p));
  }

  /** The serialization used. */
  public Serialization serialization() {
    return serialization;
  }

  /** Hashes {@code tree}. */
  public Manifest hash(ModelTree tree) throws ModelsealException {
    return hash(tree, null);
  }

  /**
   * Hashes {@code tree}, handing every hashed byte to {@code sink} (may be null).
   *
   * @throws ModelChangedException when a file changes while it is read
   * @throws ModelIoException when a file cannot be read, or the sink fails
   */
  public Manifest hash(ModelTree tree, ContentSink sink) throws ModelsealException {
    List<Unit> units = units(tree);
    byte[][] digests = new byte[units.size()][];
    if (serialization.hash() == HashAlgorithm.SHA256 && tree.totalSize() >= WARM_UP_FROM) {
      Sha256WarmUp.await();
    }
    if (serialization.method() == Serialization.Method.SHARDS) {
      requireEmptyFilesEmpty(tree); // they have no shard, so no read would notice
    }
    progress.start(tree.totalSize());
    try {
      hashAll(units, digests, sink);
    } finally {
      progress.finish();
    }
    List<ResourceDigest> resources = new ArrayList<>(units.size());
    String alg = serialization.hash().omsName();
    for (Unit u : units) {
      resources.add(new ResourceDigest(u.name, Digest.of(alg, digests[u.index]), u.end - u.start));
    }
    return Manifest.of(tree.modelName(), serialization, resources);
  }

  private void hashAll(List<Unit> units, byte[][] digests, ContentSink sink)
      throws ModelsealException {
    List<List<Unit>> tasks = schedule(units);
    AtomicBoolean abort = new AtomicBoolean();
    if (tasks.size() == 1 || threads == 1) {
      IoBuffer buf = new IoBuffer();
      for (List<Unit> task : tasks) {
        for (Unit u : task) {
          digests[u.index] = hashUnit(u, buf, sink, abort);
        }
      }
    } else {
      runParallel(tasks, digests, sink, abort);
    }
  }

  private void runParallel(
      List<List<Unit>> tasks, byte[][] digests, ContentSink sink, AtomicBoolean abort)
      throws ModelsealException {
    int n = Math.min(threads, tasks.size());
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "modelseal-hash-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ThreadLocal<IoBuffer> buffers = ThreadLocal.withInitial(IoBuffer::new);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      List<Future<?>> futures = new ArrayList<>(tasks.size());
      for (List<Unit> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  IoBuffer buf = buffers.get();
                  for (Unit u : task) {
                    if (abort.get()) {
                      return;
                    }
                    try {
                      digests[u.index] = hashUnit(u, buf, sink, abort);
                    } catch (ModelsealException | RuntimeException | Error e) {
                      failure.compareAndSet(null, e);
                      abort.set(true);
                      return;
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          failure.compareAndSet(null, e.getCause());
        } catch (InterruptedException e) {
          abort.set(true);
          Thread.currentThread().interrupt();
          throw new ModelIoException(null, "interrupted while hashing", e);
        }
      }
      Throwable t = failure.get();
      if (t != null) {
        throw asModelsealException(t);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static ModelsealException asModelsealException(Throwable t) {
    if (t instanceof ModelsealException m) {
      return m;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new ModelIoException(null, String.valueOf(t), t);
  }

  /**
   * The resources in manifest order. Files: the tree's order. Shards: {@code path:start:end} for
   * each full or final partial shard, sorted by code point of the whole name as the OMS spec and
   * the Go client do; an empty file has no shard (as in both reference clients).
   */
  private List<Unit> units(ModelTree tree) {
    List<Unit> units = new ArrayList<>();
    if (serialization.method() == Serialization.Method.FILES) {
      for (ModelFile f : tree.files()) {
        units.add(new Unit(units.size(), f, f.name(), 0, f.size()));
      }
      return units;
    }
    List<Unit> shards = new ArrayList<>();
    long shard = serialization.shardSize();
    for (ModelFile f : tree.files()) {
      for (long start = 0; start < f.size(); start += Math.min(shard, f.size() - start)) {
        long end = Math.min(f.size(), start + shard);
        shards.add(new Unit(0, f, f.name() + ":" + start + ":" + end, start, end));
      }
    }
    shards.sort((a, b) -> ResourceNames.compareCodePoints(a.name, b.name));
    for (Unit u : shards) {
      units.add(new Unit(units.size(), u.file, u.name, u.start, u.end));
    }
    return units;
  }

  /** Largest first; small units packed into batches so scheduling costs stay negligible. */
  private static List<List<Unit>> schedule(List<Unit> units) {
    List<Unit> sorted = new ArrayList<>(units);
    sorted.sort(Comparator.comparingLong((Unit u) -> u.end - u.start).reversed());
    List<List<Unit>> tasks = new ArrayList<>();
    List<Unit> batch = new ArrayList<>();
    long batchBytes = 0;
    for (Unit u : sorted) {
      long len = u.end - u.start;
      if (len >= SMALL) {
        tasks.add(List.of(u));
        continue;
      }
      batch.add(u);
      batchBytes += len;
      if (batchBytes >= BATCH_BYTES || batch.size() >= BATCH_COUNT) {
        tasks.add(batch);
        batch = new ArrayList<>();
        batchBytes = 0;
      }
    }
    if (!batch.isEmpty()) {
      tasks.add(batch);
    }
    return tasks;
  }

  private byte[] hashUnit(Unit u, IoBuffer buf, ContentSink sink, AtomicBoolean abort)
      throws ModelsealException {
    Path path = u.file.path();
    BasicFileAttributes before = stat(path);
    if (!before.isRegularFile()) {
      throw new ModelChangedException(path, "no longer a regular file");
    }
    if (before.size() != u.file.size()) {
      throw new ModelChangedException(path, "file changed size since the model was listed");
    }
    Hasher h = serialization.hash().newHasher();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      readPositional(ch, u, buf, h, sink, abort);
      if (u.end == u.file.size()) {
        requireEndOfFile(ch, u.file, buf);
      }
    } catch (NoSuchFileException e) {
      throw new ModelChangedException(path, "file disappeared while the model was read");
    } catch (EOFException e) {
      throw new ModelChangedException(path, "file was truncated while it was read");
    } catch (IOException e) {
      throw ModelIoException.of(path, e);
    }
    BasicFileAttributes after = stat(path);
    if (after.size() != before.size()
        || !after.lastModifiedTime().equals(before.lastModifiedTime())
        || !Objects.equals(after.fileKey(), before.fileKey())) {
      throw new ModelChangedException(path, "file changed while it was read");
    }
    return h.finish();
  }

  private void consume(Unit u, long pos, byte[] heap, int n, Hasher h, ContentSink sink)
      throws IOException, ModelsealException {
    if (sink != null) {
      sink.accept(u.file, pos, heap, 0, n);
    }
    for (int off = 0; off < n; off += UPDATE) {
      h.update(heap, off, Math.min(UPDATE, n - off));
    }
    progress.advance(n);
  }

  private void readPositional(
      FileChannel ch, Unit u, IoBuffer buf, Hasher h, ContentSink sink, AtomicBoolean abort)
      throws IOException, ModelsealException {
    long pos = u.start;
    ByteBuffer bb = buf.direct;
    byte[] heap = buf.heap;
    while (pos < u.end) {
      if (abort.get()) {
        return; // another resource failed; this digest will be discarded
      }
      int want = (int) Math.min(bb.capacity(), u.end - pos);
      bb.clear().limit(want);
      int n = ch.read(bb, pos);
      if (n < 0) {
        throw new ModelChangedException(u.file.path(), "file was truncated while it was read");
      }
      bb.flip();
      bb.get(heap, 0, n);
      consume(u, pos, heap, n, h, sink);
      pos += n;
    }
  }

  /**
   * Refuses a file that has more bytes than its size said: {@code /proc} and {@code /sys} files
   * report a size of 0 (or 4096) whatever they hold, and reading only that many bytes would hash
   * something else than the file's content. A regular file that grew is caught here too.
   */
  private static void requireEndOfFile(FileChannel ch, ModelFile f, IoBuffer buf)
      throws IOException, InvalidInputException {
    ByteBuffer one = buf.direct.clear().limit(1);
    if (ch.read(one, f.size()) > 0) {
      throw new InvalidInputException(
          f.path(),
          "has more bytes than its size of "
              + f.size()
              + " (a /proc or /sys file, or a file being written): refused");
    }
  }

  private static void requireEmptyFilesEmpty(ModelTree tree) throws ModelsealException {
    IoBuffer buf = null;
    for (ModelFile f : tree.files()) {
      if (f.size() == 0) {
        buf = buf != null ? buf : new IoBuffer();
        try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
          requireEndOfFile(ch, f, buf);
        } catch (NoSuchFileException e) {
          throw new ModelChangedException(f.path(), "file disappeared while the model was read");
        } catch (IOException e) {
          throw ModelIoException.of(f.path(), e);
        }
      }
    }
  }

  /**
   * One hashing thread's buffers: a page-aligned direct buffer that files are read into (the
   * kernel's copy into a buffer that is not page-aligned, as reading into a Java array through the
   * JDK's temporary buffers gives, cost 3 to 10 times the system time on the benchmark machine),
   * and an array the whole read is copied into in one go and hashed from, in updates of {@value
   * #UPDATE} bytes: the digest's multi-block intrinsic runs over each, and a thread that started an
   * update in not-yet-compiled code picks up the compiled one at the next (one update of the whole
   * buffer kept it in slow code for up to 60 ms at start-up).
   */
  private static final class IoBuffer {
    final ByteBuffer direct = DirectBuffers.pageAligned(BUFFER);
    final byte[] heap = new byte[BUFFER];
  }

  private static BasicFileAttributes stat(Path p) throws ModelsealException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new ModelChangedException(p, "file disappeared while the model was read");
    } catch (IOException e) {
      throw ModelIoException.of(p, e);
    }
  }

  private record Unit(int index, ModelFile file, String name, long start, long end) {}
}
