package dev.modelseal.pin;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.digest.Hasher;
import dev.modelseal.internal.DirectBuffers;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelFile;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ResourceNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Receives a model's files as they stream in from a source that cannot be read twice (object
 * storage, a socket), hashing every byte as it is written into a private staging directory, with
 * the digests and serialization of {@link dev.modelseal.manifest.ModelHasher}. It is verified by
 * {@link ModelPin#verify(StagedCopy)} or published by {@link ModelPin#publish(StagedCopy, Path,
 * boolean)}; a hash-only copy ({@link #hashOnly}) keeps nothing and serves {@link
 * ModelPin#check(StagedCopy)}.
 *
 * <p>Guarantee: the bytes on disk are exactly the bytes hashed, because both come from the same
 * {@link StagedFile#write} call and the directory is owner-only ({@code rwx------}) until it is
 * handed out; the digests are computed here, never supplied by the caller. A file's bytes either
 * arrive in order ({@link StagedFile#write}, hashed and stored in one call) or are stored at their
 * positions by several writers ({@link StagedFile#writeAt}) and hashed in order afterwards from the
 * private file itself ({@link StagedFile#hashStored}), so that what is hashed is again exactly what
 * is on disk. Not checked: where the bytes came from (that is the pin's or the signature's job).
 */
public final class StagedCopy implements AutoCloseable {
  /**
   * Each writing thread's page-aligned direct buffer: the JDK would otherwise copy every write into
   * a temporary direct buffer that is not page-aligned, which costs the kernel several times more.
   */
  private static final ThreadLocal<ByteBuffer> WRITE_BUFFER =
      ThreadLocal.withInitial(() -> DirectBuffers.pageAligned(256 * 1024));

  /** The hashing thread's buffers for reading staged bytes back ({@link StagedFile#hashStored}). */
  private static final ThreadLocal<ByteBuffer> READ_BUFFER =
      ThreadLocal.withInitial(() -> DirectBuffers.pageAligned(256 * 1024));

  private static final ThreadLocal<byte[]> HASH_BUFFER =
      ThreadLocal.withInitial(() -> new byte[256 * 1024]);

  private final Serialization serialization;
  private final String modelName;
  private final Path wrapper;
  private final Path dir;
  private final Map<String, StagedFile> files = new ConcurrentHashMap<>();
  private volatile boolean done;

  private StagedCopy(Serialization serialization, String modelName, Path wrapper, Path dir) {
    this.serialization = Objects.requireNonNull(serialization, "serialization");
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    this.wrapper = wrapper;
    this.dir = dir;
  }

  /**
   * A staging copy in a new owner-only directory under {@code parent} (choose the parent of the
   * final target so that publishing is a rename on one file system).
   *
   * @param modelName the model's name as a manifest records it (the target's last element)
   */
  public static StagedCopy create(Serialization serialization, String modelName, Path parent)
      throws ModelsealException {
    Path base = parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
    try {
      Files.createDirectories(base);
      StagingDirectories.sweep(base, java.time.Instant.now());
      Path w =
          posix()
              ? Files.createTempDirectory(
                  base,
                  ".modelseal-staging-",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwx------")))
              : Files.createTempDirectory(base, ".modelseal-staging-");
      StagingDirectories.created(w);
      Path d = Files.createDirectory(w.resolve("model"));
      return new StagedCopy(serialization, modelName, w, d);
    } catch (IOException e) {
      throw ModelIoException.of(base, e);
    }
  }

  /** A copy that hashes and keeps nothing: for checking a remote model in place. */
  public static StagedCopy hashOnly(Serialization serialization, String modelName) {
    return new StagedCopy(serialization, modelName, null, null);
  }

  /** The serialization the digests follow. */
  public Serialization serialization() {
    return serialization;
  }

  /**
   * The staging directory (owner-only), or empty for a hash-only copy. Not public: its content is
   * unverified until a {@link ModelPin} hands out a {@link VerifiedModel} on it.
   */
  java.util.Optional<Path> directory() {
    return java.util.Optional.ofNullable(dir);
  }

  /**
   * Starts a file of {@code size} bytes named {@code name} (a resource name; checked).
   *
   * @throws InvalidInputException when the name is invalid or already used
   */
  public StagedFile newFile(String name, long size) throws ModelsealException {
    requireOpen();
    String bad = ResourceNames.check(name);
    if (bad != null) {
      throw new InvalidInputException(null, "refused resource name '" + name + "': " + bad);
    }
    if (size < 0) {
      throw new InvalidInputException(null, name + ": negative size");
    }
    if (files.containsKey(name)) {
      throw new InvalidInputException(null, "duplicate resource name '" + name + "'");
    }
    FileChannel ch = null;
    Path p = null;
    if (dir != null) {
      p = dir.resolve(name.replace('/', dir.getFileSystem().getSeparator().charAt(0)));
      try {
        Files.createDirectories(p.getParent());
        ch =
            FileChannel.open(
                p,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ);
      } catch (IOException e) {
        throw ModelIoException.of(p, e);
      }
    }
    StagedFile f = new StagedFile(name, size, p, ch);
    if (files.putIfAbsent(name, f) != null) {
      f.abandon();
      throw new InvalidInputException(null, "duplicate resource name '" + name + "'");
    }
    return f;
  }

  /** The manifest of what was received; every started file must be finished. */
  Manifest manifest() throws ModelsealException {
    requireOpen();
    List<ResourceDigest> resources = new ArrayList<>();
    String alg = serialization.hash().omsName();
    for (StagedFile f : files.values()) {
      if (!f.finished) {
        throw new ModelIoException(null, f.name + ": not completely received", null);
      }
      for (StagedFile.Part part : f.parts) {
        resources.add(new ResourceDigest(part.name(), Digest.of(alg, part.digest()), part.size()));
      }
    }
    resources.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    return Manifest.of(modelName, serialization, resources);
  }

  /** A tree over the staged files, for the verified handle. */
  ModelTree tree(Path root) {
    List<ModelFile> list = new ArrayList<>();
    for (StagedFile f : files.values()) {
      list.add(new ModelFile(f.name, root.resolve(f.name), f.size));
    }
    list.sort((a, b) -> ResourceNames.compareCodePoints(a.name(), b.name()));
    return new ModelTree(root, false, list, serialization.walk());
  }

  /** Makes every file read-only and returns the model directory; the copy is then handed out. */
  Path seal() throws ModelsealException {
    requireOpen();
    if (dir == null) {
      throw new IllegalStateException("a hash-only copy keeps no files");
    }
    for (StagedFile f : files.values()) {
      try {
        if (posix()) {
          Files.setPosixFilePermissions(f.path, PosixFilePermissions.fromString("r--------"));
        } else if (!f.path.toFile().setReadOnly()) {
          throw new IOException("cannot make the file read-only");
        }
      } catch (IOException e) {
        throw ModelIoException.of(f.path, e);
      }
    }
    return dir;
  }

  /** The owner-only directory holding the model directory (removed after publishing). */
  Path wrapper() {
    return wrapper;
  }

  /** Marks the copy as handed out: {@link #close()} then leaves the files alone. */
  void handOver() {
    done = true;
  }

  private void requireOpen() {
    if (done) {
      throw new IllegalStateException("the staged copy was already handed out or closed");
    }
  }

  /** Discards the staging directory unless the copy was handed out. */
  @Override
  public void close() {
    for (StagedFile f : files.values()) {
      f.abandon();
    }
    if (done) {
      if (wrapper != null && Files.exists(wrapper) && !wrapper.equals(dir)) {
        deleteIfEmptyWrapper();
      }
      return;
    }
    done = true;
    if (wrapper != null) {
      makeWritable(wrapper);
      PrivateCopy.deleteTree(wrapper);
      StagingDirectories.released(wrapper);
    }
  }

  private void deleteIfEmptyWrapper() {
    try {
      if (!Files.exists(dir)) {
        Files.deleteIfExists(wrapper.resolve(StagingDirectories.OWNER_FILE));
        Files.deleteIfExists(wrapper);
        StagingDirectories.released(wrapper);
      }
    } catch (IOException e) {
      // best effort: an empty private directory
    }
  }

  private static void makeWritable(Path d) {
    try (var s = Files.walk(d)) {
      s.forEach(p -> p.toFile().setWritable(true, true));
    } catch (IOException e) {
      // best effort
    }
  }

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * One file being received: its bytes arrive in order through {@link #write}, each hashed and
   * stored in the same call; or, in a staged (not hash-only) copy, at their positions through
   * {@link #writeAt} from several threads, while one thread hashes the stored contiguous prefix in
   * order with {@link #hashStored}. With the shards method a digest is finished at every shard
   * boundary. {@link #write}, {@link #hashStored} and {@link #finish} belong to one thread.
   */
  public final class StagedFile {
    private final String name;
    private final long size;
    private final Path path;
    private final FileChannel channel;
    private final List<Part> parts = new ArrayList<>();
    private Hasher hasher;
    private long position;
    private long partStart;
    private volatile boolean finished;

    private StagedFile(String name, long size, Path path, FileChannel channel) {
      this.name = name;
      this.size = size;
      this.path = path;
      this.channel = channel;
      this.hasher = serialization.hash().newHasher();
    }

    /** The resource name. */
    public String name() {
      return name;
    }

    /** Bytes received so far. */
    public long position() {
      return position;
    }

    /**
     * Hashes and stores the next {@code len} bytes of the file.
     *
     * @throws ModelIoException when more bytes arrive than the announced size
     */
    public void write(byte[] buf, int off, int len) throws ModelsealException {
      if (finished) {
        throw new IllegalStateException("file already finished");
      }
      if (len > size - position) {
        throw new ModelIoException(
            null, name + ": more bytes arrived than its announced size of " + size, null);
      }
      store(buf, off, len);
      hash(buf, off, len);
    }

    /** Hashes the next {@code len} bytes (already stored), closing shards at their boundaries. */
    private void hash(byte[] buf, int off, int len) {
      int o = off;
      int remaining = len;
      while (remaining > 0) {
        int n = remaining;
        if (serialization.method() == Serialization.Method.SHARDS) {
          long boundary = partStart + serialization.shardSize();
          n = (int) Math.min(remaining, boundary - position);
        }
        hasher.update(buf, o, n);
        position += n;
        o += n;
        remaining -= n;
        if (serialization.method() == Serialization.Method.SHARDS
            && position - partStart == serialization.shardSize()
            && position < size) {
          closePart();
        }
      }
    }

    /**
     * Whether {@link #writeAt} and {@link #hashStored} can be used: true when the copy keeps files
     * (not {@linkplain StagedCopy#hashOnly hash-only}).
     */
    public boolean positional() {
      return channel != null;
    }

    /** The announced size. */
    public long size() {
      return size;
    }

    /**
     * Stores {@code len} bytes at offset {@code at} of the file without hashing them: they count
     * only once {@link #hashStored} has read them back in order. Safe from several threads at once
     * (positional writes to distinct ranges).
     *
     * @throws ModelIoException when the range lies outside the announced size
     * @throws IllegalStateException for a hash-only copy ({@link #positional} is false)
     */
    public void writeAt(byte[] buf, int off, int len, long at) throws ModelsealException {
      if (channel == null) {
        throw new IllegalStateException("a hash-only copy stores nothing");
      }
      if (finished) {
        throw new IllegalStateException("file already finished");
      }
      if (at < 0 || len > size - at) {
        throw new ModelIoException(
            null, name + ": a range ends after the announced size of " + size, null);
      }
      ByteBuffer bb = WRITE_BUFFER.get();
      try {
        int done = 0;
        while (done < len) {
          int n = Math.min(bb.capacity(), len - done);
          bb.clear();
          bb.put(buf, off + done, n).flip();
          long p = at + done;
          while (bb.hasRemaining()) {
            p += channel.write(bb, p);
          }
          done += n;
        }
      } catch (IOException e) {
        throw ModelIoException.of(path, e);
      }
    }

    /**
     * Hashes the stored bytes from {@link #position()} up to {@code end}, reading them back from
     * the private staged file: the caller calls it only for a prefix whose every byte was stored
     * with {@link #writeAt} (a byte never written reads as zero and the digest then fails to
     * match).
     *
     * @throws ModelIoException when {@code end} lies past the announced size or the file is short
     */
    public void hashStored(long end) throws ModelsealException {
      if (channel == null) {
        throw new IllegalStateException("a hash-only copy stores nothing");
      }
      if (finished) {
        throw new IllegalStateException("file already finished");
      }
      if (end > size) {
        throw new ModelIoException(
            null, name + ": more bytes arrived than its announced size of " + size, null);
      }
      ByteBuffer bb = READ_BUFFER.get();
      byte[] heap = HASH_BUFFER.get();
      try {
        while (position < end) {
          bb.clear();
          bb.limit((int) Math.min(bb.capacity(), end - position));
          int n = channel.read(bb, position);
          if (n < 0) {
            throw new ModelIoException(
                null, name + ": staged file ends at " + position + " bytes", null);
          }
          bb.flip();
          bb.get(heap, 0, n);
          hash(heap, 0, n);
        }
      } catch (IOException e) {
        throw ModelIoException.of(path, e);
      }
    }

    private void store(byte[] buf, int off, int len) throws ModelsealException {
      if (channel == null) {
        return;
      }
      ByteBuffer bb = WRITE_BUFFER.get();
      try {
        int done = 0;
        while (done < len) {
          int n = Math.min(bb.capacity(), len - done);
          bb.clear();
          bb.put(buf, off + done, n).flip();
          while (bb.hasRemaining()) {
            channel.write(bb);
          }
          done += n;
        }
      } catch (IOException e) {
        throw ModelIoException.of(path, e);
      }
    }

    private void closePart() {
      String partName =
          serialization.method() == Serialization.Method.SHARDS
              ? name + ":" + partStart + ":" + position
              : name;
      parts.add(new Part(partName, hasher.finish(), position - partStart));
      hasher = serialization.hash().newHasher();
      partStart = position;
    }

    /**
     * Ends the file: every announced byte must have arrived.
     *
     * @throws ModelIoException when the file is shorter than announced (truncated)
     */
    public void finish() throws ModelsealException {
      if (finished) {
        return;
      }
      if (position != size) {
        throw new ModelIoException(
            null, name + ": truncated: received " + position + " of " + size + " bytes", null);
      }
      // OMS shards: an empty file has no shard; files: an empty file has its digest.
      if (serialization.method() == Serialization.Method.FILES || position > partStart) {
        closePart();
      }
      if (channel != null) {
        // Not forced to disk: a pull interrupted by a crash is simply pulled (and verified) again.
        try {
          channel.close();
        } catch (IOException e) {
          throw ModelIoException.of(path, e);
        }
      }
      finished = true;
    }

    /**
     * The digest of the whole file, once it is {@linkplain #finish() finished}, when the copy
     * hashes with the {@code files} method (one digest per file; empty for shards or an unfinished
     * file): for a source that can check a digest the store states against the very hash the
     * manifest uses, instead of hashing the bytes a second time.
     */
    public java.util.Optional<Digest> fileDigest() {
      if (!finished || serialization.method() != Serialization.Method.FILES || parts.size() != 1) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          Digest.of(serialization.hash().omsName(), parts.get(0).digest()));
    }

    private void abandon() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // best effort
        }
      }
    }

    private record Part(String name, byte[] digest, long size) {}
  }
}
