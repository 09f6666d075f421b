package dev.modelseal.manifest;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.internal.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A private cache of digests for re-hashing a model that barely changed (re-signing after a README
 * edit): each entry is keyed by the file's identity and state as the kernel reports them (device,
 * inode, size, modification and status-change times in nanoseconds, from {@code unix:*}
 * attributes), the hash algorithm, the shard size and the resource's byte range. A file whose key
 * changed is read and hashed again: writing a file changes its status-change time (ctime), which no
 * unprivileged process can set back, so content written in place with its mtime restored ({@code
 * touch -r}) is still re-hashed.
 *
 * <p>Never changes a result, only its cost: an entry is recorded only for a file whose times were
 * at least {@link #DEFAULT_MIN_AGE} old when it was hashed (a file written twice in the same
 * timestamp tick could otherwise keep its key, as git's "racily clean" entries); and the cache is
 * for writers only. It is never used to verify (verify, check, pull): whoever can write the model
 * can write the cache, so trusting it there would let them swap content under a stale digest.
 *
 * <p>The file is owner-only (0600, written atomically); one that is not a regular file, not owned
 * by this user, readable or writable by others, larger than {@link #MAX_BYTES}, of another format
 * or malformed is ignored with a warning and replaced at {@link #save}. Lines are parsed by hand,
 * every field checked. Only the entries of the last hash are saved, so the file stays the size of
 * one model's list.
 */
public final class DigestCache {
  /** The largest cache file read. */
  public static final long MAX_BYTES = 64L * 1024 * 1024;

  /** The most entries kept. */
  public static final int MAX_ENTRIES = 1_000_000;

  /** How old a file's times must be for its digest to be recorded. */
  public static final Duration DEFAULT_MIN_AGE = Duration.ofSeconds(2);

  private static final String HEADER = "modelseal-digest-cache 1";
  private static final int MAX_LINE = 512;

  private final Path file;
  private final Map<Key, byte[]> loaded;
  private final Map<Key, byte[]> current = new ConcurrentHashMap<>();
  private final Duration minAge;
  private final java.util.concurrent.atomic.AtomicLong hits =
      new java.util.concurrent.atomic.AtomicLong();

  private DigestCache(Path file, Map<Key, byte[]> loaded, Duration minAge) {
    this.file = file;
    this.loaded = loaded;
    this.minAge = minAge;
  }

  /** The state of one resource of one file, as the cache keys it. */
  record Key(
      long device,
      long inode,
      long size,
      long mtimeNs,
      long ctimeNs,
      HashAlgorithm algorithm,
      long shardSize,
      long start,
      long end) {
    // Written out: a record's generated equals, hashCode and toString are bootstrapped through
    // method handles at their first call, a cost of a re-signing's start-up (benchmarks/README.md).
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && device == k.device
          && inode == k.inode
          && size == k.size
          && mtimeNs == k.mtimeNs
          && ctimeNs == k.ctimeNs
          && algorithm == k.algorithm
          && shardSize == k.shardSize
          && start == k.start
          && end == k.end;
    }

    @Override
    public int hashCode() {
      long h = device;
      for (long v : new long[] {inode, size, mtimeNs, ctimeNs, shardSize, start, end}) {
        h = 31 * h + v;
      }
      return Long.hashCode(h) * 31 + algorithm.hashCode();
    }

    @Override
    public String toString() {
      return "Key[inode=" + inode + ", size=" + size + ", " + algorithm + "]";
    }
  }

  /**
   * Opens the cache at {@code file} (missing: an empty cache), reporting an unusable one to {@code
   * warn} (one line) and starting empty.
   */
  public static DigestCache open(Path file, Consumer<String> warn) {
    return open(file, warn, DEFAULT_MIN_AGE);
  }

  /** Like {@link #open(Path, Consumer)} with another minimum age (tests). */
  public static DigestCache open(Path file, Consumer<String> warn, Duration minAge) {
    Map<Key, byte[]> entries = new ConcurrentHashMap<>();
    try {
      String problem = read(file, entries);
      if (problem != null) {
        entries.clear();
        warn.accept(file + ": digest cache ignored: " + problem);
      }
    } catch (NoSuchFileException e) {
      entries.clear();
    } catch (IOException | UnsupportedOperationException e) {
      entries.clear();
      warn.accept(file + ": digest cache ignored: " + e.getMessage());
    }
    return new DigestCache(file, entries, minAge);
  }

  /** Reads entries; returns a problem, or null. */
  private static String read(Path file, Map<Key, byte[]> out) throws IOException {
    PosixFileAttributes a =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      return "not a regular file";
    }
    String me = System.getProperty("user.name");
    if (!a.owner().getName().equals(me)) {
      return "owned by " + a.owner().getName() + ", not " + me;
    }
    Set<PosixFilePermission> p = a.permissions();
    if (p.contains(PosixFilePermission.GROUP_READ)
        || p.contains(PosixFilePermission.GROUP_WRITE)
        || p.contains(PosixFilePermission.OTHERS_READ)
        || p.contains(PosixFilePermission.OTHERS_WRITE)) {
      return "readable or writable by others (must be 0600)";
    }
    if (a.size() > MAX_BYTES) {
      return "larger than " + MAX_BYTES + " bytes";
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      return "larger than " + MAX_BYTES + " bytes";
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    int pos = 0;
    int lineNo = 0;
    while (pos < text.length()) {
      int nl = text.indexOf('\n', pos);
      if (nl < 0) {
        return "truncated (no final newline)";
      }
      String line = text.substring(pos, nl);
      pos = nl + 1;
      lineNo++;
      if (line.length() > MAX_LINE) {
        return "line " + lineNo + " is too long";
      }
      if (lineNo == 1) {
        if (!line.equals(HEADER)) {
          return "not a modelseal digest cache (or another version)";
        }
        continue;
      }
      if (out.size() >= MAX_ENTRIES) {
        return "more than " + MAX_ENTRIES + " entries";
      }
      String problem = entry(line, out);
      if (problem != null) {
        return "line " + lineNo + ": " + problem;
      }
    }
    return lineNo == 0 ? "empty" : null;
  }

  private static String entry(String line, Map<Key, byte[]> out) {
    String[] f = new String[10];
    int n = 0;
    int start = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == ' ') {
        if (n == f.length) {
          return "too many fields";
        }
        f[n++] = line.substring(start, i);
        start = i + 1;
      }
    }
    if (n != f.length) {
      return "expected 10 fields";
    }
    long[] v = new long[9];
    for (int i = 0; i < 9; i++) {
      if (i == 5) {
        continue;
      }
      Long x = number(f[i], i == 3 || i == 4);
      if (x == null) {
        return "field " + (i + 1) + " is not a number";
      }
      v[i] = x;
    }
    HashAlgorithm alg;
    try {
      alg = HashAlgorithm.fromOmsName(f[5]);
    } catch (IllegalArgumentException e) {
      return "unknown hash algorithm";
    }
    if (v[7] > v[8] || v[8] > v[2]) {
      return "byte range outside the file";
    }
    byte[] digest;
    try {
      digest = HexFormat.of().parseHex(f[9]);
    } catch (IllegalArgumentException e) {
      return "digest is not hex";
    }
    if (digest.length != alg.digestLength()) {
      return "digest has the wrong length";
    }
    out.put(new Key(v[0], v[1], v[2], v[3], v[4], alg, v[6], v[7], v[8]), digest);
    return null;
  }

  /** A decimal long (negative only where {@code signed}); null when malformed. */
  private static Long number(String s, boolean signed) {
    int i = signed && s.startsWith("-") ? 1 : 0;
    if (s.length() == i || s.length() > 20) {
      return null;
    }
    for (int j = i; j < s.length(); j++) {
      if (s.charAt(j) < '0' || s.charAt(j) > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The key of {@code path}'s bytes [start, end) as they are now, or null when the file system has
   * no {@code unix} attributes.
   */
  static Key key(Path path, HashAlgorithm alg, long shardSize, long start, long end)
      throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,ctime");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
    return new Key(
        (Long) a.get("dev"),
        (Long) a.get("ino"),
        (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS),
        alg,
        shardSize,
        start,
        end);
  }

  /** Whether the cache holds {@code k} (nothing recorded). */
  boolean holds(Key k) {
    return loaded.containsKey(k);
  }

  /** The cached digest for {@code k}, or null; a hit is kept for {@link #save}. */
  byte[] lookup(Key k) {
    byte[] d = loaded.get(k);
    if (d != null) {
      current.put(k, d);
      hits.incrementAndGet();
      return d.clone();
    }
    return null;
  }

  /**
   * Records {@code digest} for {@code k}, a key read before and after the bytes were hashed, when
   * the file's times are old enough at {@code hashedAt} to rule out a same-tick rewrite.
   */
  void record(Key k, byte[] digest, Instant hashedAt) {
    long newest = Math.max(k.mtimeNs(), k.ctimeNs());
    long limit = TimeUnit.SECONDS.toNanos(hashedAt.getEpochSecond()) + hashedAt.getNano();
    if (newest <= limit - minAge.toNanos() && current.size() < MAX_ENTRIES) {
      current.put(k, digest.clone());
    }
  }

  /** How many resources came from the cache so far. */
  public long hits() {
    return hits.get();
  }

  /**
   * Writes the entries of this run (hits and newly hashed resources) to the cache file, atomically
   * and owner-only.
   */
  public void save() throws ModelsealException {
    HexFormat hex = HexFormat.of();
    AtomicFiles.writePrivate(
        file,
        out -> {
          BufferedWriter w =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
          w.write(HEADER);
          w.write('\n');
          for (Map.Entry<Key, byte[]> e : current.entrySet()) {
            Key k = e.getKey();
            w.write(
                k.device()
                    + " "
                    + k.inode()
                    + " "
                    + k.size()
                    + " "
                    + k.mtimeNs()
                    + " "
                    + k.ctimeNs()
                    + " "
                    + k.algorithm().omsName()
                    + " "
                    + k.shardSize()
                    + " "
                    + k.start()
                    + " "
                    + k.end()
                    + " "
                    + hex.formatHex(e.getValue())
                    + "\n");
          }
          w.flush();
        });
  }
}
