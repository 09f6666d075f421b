package dev.modelseal.pin;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.ContentSink;
import dev.modelseal.walk.ModelFile;
import dev.modelseal.walk.ModelTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A private directory (owner-only permissions) receiving the bytes being hashed, file by file.
 * After {@link #seal} its files are read-only. Nothing outside this process's user can change it,
 * so what it holds stays what was hashed.
 */
final class PrivateCopy implements ContentSink {
  private final Path model;
  private final Path dir;
  private final Map<String, FileChannel> channels = new ConcurrentHashMap<>();

  private PrivateCopy(Path model, Path dir) {
    this.model = model;
    this.dir = dir;
  }

  static PrivateCopy create(Path model, Path parent) throws ModelsealException {
    Path base = parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
    try {
      Path d =
          posix()
              ? Files.createTempDirectory(
                  base,
                  "modelseal-",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwx------")))
              : Files.createTempDirectory(base, "modelseal-");
      return new PrivateCopy(model, d);
    } catch (IOException e) {
      throw ModelIoException.of(base, e);
    }
  }

  Path directory() {
    return dir;
  }

  @Override
  public void accept(ModelFile file, long position, byte[] buf, int off, int len)
      throws IOException {
    FileChannel ch;
    try {
      ch = channels.computeIfAbsent(file.name(), n -> openTarget(n));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
    long pos = position;
    while (bb.hasRemaining()) {
      pos += ch.write(bb, pos);
    }
  }

  private FileChannel openTarget(String name) {
    try {
      Path target = target(name);
      Files.createDirectories(target.getParent());
      return FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path target(String name) {
    return dir.resolve(name.replace('/', dir.getFileSystem().getSeparator().charAt(0)));
  }

  /** Closes every file, creates the empty ones, and makes the files read-only. */
  void seal(ModelTree tree) throws ModelsealException {
    IOException failure = null;
    for (FileChannel ch : channels.values()) {
      try {
        ch.force(false);
        ch.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw ModelIoException.of(dir, failure);
    }
    for (ModelFile f : tree.files()) {
      Path t = target(f.name());
      try {
        if (!channels.containsKey(f.name())) {
          Files.createDirectories(t.getParent());
          Files.createFile(t);
        }
        if (posix()) {
          Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("r--------"));
        } else {
          t.toFile().setReadOnly();
        }
      } catch (IOException e) {
        throw ModelIoException.of(t, e);
      }
    }
  }

  /** Deletes the directory and everything in it. */
  void discard() {
    for (FileChannel ch : channels.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        // best effort
      }
    }
    deleteTree(dir);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a temporary directory
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public String toString() {
    return "PrivateCopy[" + model + " -> " + dir + "]";
  }
}
