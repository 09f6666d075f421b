package dev.modelseal.pin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The life of {@code .modelseal-staging-*} directories beyond one {@link StagedCopy}:
 *
 * <ul>
 *   <li>Each records its owner in {@value #OWNER_FILE}: process id, host name and the process's
 *       start time.
 *   <li>Live ones are registered; a JVM shutdown hook (SIGTERM, SIGINT, {@code System.exit})
 *       deletes those still registered, so an interrupted pull leaves nothing behind.
 *   <li>Before a new one is created, stale ones beside it are swept: those of a process on this
 *       host that is no longer running (a {@code kill -9}, a crash), and any older than {@link
 *       #MAX_AGE} (another host's, or one without an owner file). Only directories owned by the
 *       current user are touched, and symbolic links inside them are removed, never followed.
 * </ul>
 *
 * <p>Never deletes a published model: publishing moves the model directory out of its staging
 * directory first.
 */
final class StagingDirectories {
  /** The name prefix of staging directories. */
  static final String PREFIX = ".modelseal-staging-";

  /** The owner file inside a staging directory. */
  static final String OWNER_FILE = ".owner";

  /** Staging directories older than this are swept whoever made them. */
  static final Duration MAX_AGE = Duration.ofHours(24);

  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static boolean hooked;

  private StagingDirectories() {}

  /** Records this process as the owner of {@code wrapper} and registers it for the hook. */
  static void created(Path wrapper) throws IOException {
    hook();
    LIVE.add(wrapper);
    ProcessHandle self = ProcessHandle.current();
    String text =
        "modelseal-staging/1\npid="
            + self.pid()
            + "\nhost="
            + host()
            + "\nstarted="
            + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L)
            + "\n";
    Files.writeString(wrapper.resolve(OWNER_FILE), text, StandardCharsets.US_ASCII);
  }

  /** {@code wrapper} was deleted or handed out: the hook no longer needs to delete it. */
  static void released(Path wrapper) {
    LIVE.remove(wrapper);
  }

  /** The staging directories still registered (for tests). */
  static Set<Path> live() {
    return Set.copyOf(LIVE);
  }

  private static synchronized void hook() {
    if (!hooked) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(StagingDirectories::deleteLive, "modelseal-staging-cleanup"));
      hooked = true;
    }
  }

  /** Deletes every registered staging directory (the shutdown hook). */
  static void deleteLive() {
    for (Path w : LIVE) {
      // Transfer threads may still be creating files in it: try a few times.
      for (int i = 0; i < 5 && Files.exists(w, LinkOption.NOFOLLOW_LINKS); i++) {
        deleteTree(w);
        if (Files.exists(w, LinkOption.NOFOLLOW_LINKS)) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      LIVE.remove(w);
    }
  }

  /** Removes the stale staging directories directly under {@code base}; returns how many. */
  static int sweep(Path base, Instant now) {
    int swept = 0;
    UserPrincipal me = currentUser();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path w : ds) {
        if (!LIVE.contains(w) && isStale(w, now, me)) {
          deleteTree(w);
          swept++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: sweeping never stops a pull
    }
    return swept;
  }

  private static boolean isStale(Path w, Instant now, UserPrincipal me) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(w, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isDirectory()
        || (me != null && !me.equals(Files.getOwner(w, LinkOption.NOFOLLOW_LINKS)))) {
      return false;
    }
    boolean old = a.lastModifiedTime().toInstant().isBefore(now.minus(MAX_AGE));
    Optional<String> owner = readOwner(w.resolve(OWNER_FILE));
    if (owner.isEmpty()) {
      return old;
    }
    String pid = field(owner.get(), "pid");
    String host = field(owner.get(), "host");
    String started = field(owner.get(), "started");
    if (pid == null || host == null || !host.equals(host())) {
      return old;
    }
    try {
      return old || !running(Long.parseLong(pid), Long.parseLong(started == null ? "0" : started));
    } catch (NumberFormatException e) {
      return old;
    }
  }

  /** True when process {@code pid} runs and (when known) started at {@code startedMillis}. */
  static boolean running(long pid, long startedMillis) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    Optional<Instant> start = p.get().info().startInstant();
    // A recycled PID belongs to a process that started later than the recorded one.
    return startedMillis == 0
        || start.isEmpty()
        || Math.abs(start.get().toEpochMilli() - startedMillis) < 2000;
  }

  private static Optional<String> readOwner(Path f) {
    try {
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(new String(in.readNBytes(4096), StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String field(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "=")) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return null;
  }

  /** This host's name, as the kernel has it (no DNS lookup). */
  static String host() {
    try {
      Path p = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(p)) {
        return Files.readString(p, StandardCharsets.US_ASCII).strip();
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    String h = System.getenv("HOSTNAME");
    return h != null ? h : "unknown";
  }

  private static UserPrincipal currentUser() {
    try {
      return Path.of(System.getProperty("java.io.tmpdir"))
          .getFileSystem()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Deletes {@code dir} and everything below it; links are deleted, never followed. */
  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> p.toFile().setWritable(true, true));
    } catch (IOException | RuntimeException e) {
      // best effort
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort
                }
              });
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }
}
