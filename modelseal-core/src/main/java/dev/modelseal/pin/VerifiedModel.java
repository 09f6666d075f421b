package dev.modelseal.pin;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.walk.ModelFile;
import dev.modelseal.walk.ModelTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * A model whose content matched its pin, lock entry or signature. Only modelseal's verifiers
 * construct one; loaders that accept only this type cannot be handed unverified bytes.
 *
 * <p>Guarantee: every byte obtained from this handle is a byte that was hashed during verification.
 * The content lives either in memory or in a private, owner-only, read-only copy on disk that this
 * handle deletes on {@link #close()}; the original files are never read again.
 */
public final class VerifiedModel implements AutoCloseable {
  private final Manifest manifest;
  private final String modelName;
  private final boolean singleFile;
  private final List<String> fileNames;
  private final Set<String> known;
  private final Map<String, byte[]> memory;
  private final Path directory;
  private final Path deleteOnClose;
  private volatile boolean closed;

  private VerifiedModel(
      Manifest manifest,
      ModelTree tree,
      Map<String, byte[]> memory,
      Path directory,
      Path deleteOnClose) {
    this.manifest = manifest;
    this.modelName = tree.modelName();
    this.singleFile = tree.singleFile();
    List<String> names = new ArrayList<>();
    for (ModelFile f : tree.files()) {
      names.add(f.name());
    }
    this.fileNames = Collections.unmodifiableList(names);
    this.known = Set.copyOf(names);
    this.memory = memory;
    this.directory = directory;
    this.deleteOnClose = deleteOnClose;
  }

  static VerifiedModel inMemory(Manifest manifest, ModelTree tree, Map<String, byte[]> contents) {
    return new VerifiedModel(manifest, tree, Map.copyOf(contents), null, null);
  }

  static VerifiedModel onDisk(Manifest manifest, ModelTree tree, Path directory) {
    return new VerifiedModel(manifest, tree, null, directory, directory);
  }

  /**
   * On disk in {@code directory}, which stays when the handle is closed: a view of a sealed staged
   * copy lent to a {@link PublishCheck} before it is published.
   */
  static VerifiedModel borrowed(Manifest manifest, ModelTree tree, Path directory) {
    return new VerifiedModel(manifest, tree, null, directory, null);
  }

  /** On disk in {@code directory}, deleting {@code enclosing} (which holds it) on close. */
  static VerifiedModel onDisk(Manifest manifest, ModelTree tree, Path directory, Path enclosing) {
    return new VerifiedModel(manifest, tree, null, directory, enclosing);
  }

  /** The verified root digest. */
  public Digest rootDigest() {
    return manifest.root();
  }

  /** The manifest of the verified content. */
  public Manifest manifest() {
    return manifest;
  }

  /** The model's name (directory or file name). */
  public String modelName() {
    return modelName;
  }

  /** True when the model is a single file. */
  public boolean isSingleFile() {
    return singleFile;
  }

  /** The file names (resource names), sorted by code point. */
  public List<String> fileNames() {
    return fileNames;
  }

  /** A copy of one file's verified content. */
  public byte[] readAllBytes(String name) throws ModelsealException {
    requireKnown(name);
    if (memory != null) {
      return memory.get(name).clone();
    }
    Path p = file(name);
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw ModelIoException.of(p, e);
    } catch (OutOfMemoryError e) {
      throw new ModelIoException(p, "too large to read into memory", null);
    }
  }

  /** A copy of the verified content of a single-file model. */
  public byte[] readAllBytes() throws ModelsealException {
    return readAllBytes(onlyFile());
  }

  /**
   * A read-only buffer over one file's verified content, without copying (memory-mapped from the
   * private copy for on-disk handles; valid until {@link #close()}).
   */
  public ByteBuffer buffer(String name) throws ModelsealException {
    requireKnown(name);
    if (memory != null) {
      return ByteBuffer.wrap(memory.get(name)).asReadOnlyBuffer();
    }
    Path p = file(name);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      return mb.asReadOnlyBuffer();
    } catch (IOException e) {
      throw ModelIoException.of(p, e);
    }
  }

  /** A stream over one file's verified content. */
  public InputStream openStream(String name) throws ModelsealException {
    requireKnown(name);
    if (memory != null) {
      return new ByteArrayInputStream(memory.get(name));
    }
    Path p = file(name);
    try {
      return Files.newInputStream(p);
    } catch (IOException e) {
      throw ModelIoException.of(p, e);
    }
  }

  /**
   * The private copy's directory, for frameworks that load only from a path; empty for in-memory
   * handles. Its files are read-only and deleted on {@link #close()}.
   */
  public Optional<Path> directory() {
    requireOpen();
    return Optional.ofNullable(directory);
  }

  /** The private copy of one file (on-disk handles only). */
  public Path file(String name) {
    requireKnown(name);
    if (directory == null) {
      throw new IllegalStateException("an in-memory verified model has no files on disk");
    }
    return directory.resolve(name);
  }

  /** Releases the content: deletes the private copy. Buffers obtained earlier become invalid. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (deleteOnClose != null) {
      makeWritable(deleteOnClose);
      PrivateCopy.deleteTree(deleteOnClose);
      StagingDirectories.released(deleteOnClose);
    }
  }

  private static void makeWritable(Path dir) {
    try (var s = Files.walk(dir)) {
      s.forEach(p -> p.toFile().setWritable(true, true));
    } catch (IOException e) {
      // best effort
    }
  }

  private String onlyFile() {
    if (fileNames.size() != 1) {
      throw new IllegalStateException("the model has " + fileNames.size() + " files; name one");
    }
    return fileNames.get(0);
  }

  private void requireKnown(String name) {
    requireOpen();
    if (!known.contains(name)) {
      throw new NoSuchElementException("no file '" + name + "' in the verified model");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the verified model is closed");
    }
  }

  @Override
  public String toString() {
    return "VerifiedModel[" + modelName + ", " + manifest.root() + "]";
  }
}
