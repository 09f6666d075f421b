package dev.modelseal.formats;

import dev.modelseal.Quoted;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An opened model: its format, its tensors sorted by name ({@link TensorInfo#NAME_ORDER}), and its
 * metadata as text. Holds open files until {@link #close()}.
 *
 * <p>Guarantee: every tensor was validated by the reader (dtype, shape, byte range inside the file)
 * and tensor names are unique. Metadata is informative only and outside every fingerprint.
 */
public final class TensorModel implements AutoCloseable {
  private final Path path;
  private final Format format;
  private final List<TensorSource> tensors;
  private final Map<String, String> metadata;
  private final List<Closeable> resources;

  private TensorModel(
      Path path,
      Format format,
      List<TensorSource> tensors,
      Map<String, String> metadata,
      List<Closeable> resources) {
    this.path = path;
    this.format = format;
    this.tensors = tensors;
    this.metadata = metadata;
    this.resources = resources;
  }

  /**
   * Creates a model over validated sources; the model owns {@code resources} and closes them.
   *
   * @throws MalformedModelException when two tensors share a name (the resources are closed)
   */
  public static TensorModel of(
      Path path,
      Format format,
      List<? extends TensorSource> tensors,
      Map<String, String> metadata,
      List<? extends Closeable> resources)
      throws MalformedModelException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    List<TensorSource> sorted = new ArrayList<>(tensors);
    sorted.sort((a, b) -> TensorInfo.NAME_ORDER.compare(a.info().name(), b.info().name()));
    List<Closeable> res = List.copyOf(resources);
    for (int i = 1; i < sorted.size(); i++) {
      String name = sorted.get(i).info().name();
      if (name.equals(sorted.get(i - 1).info().name())) {
        closeAll(res);
        throw new MalformedModelException(path, "two tensors are named " + Quoted.of(name));
      }
    }
    return new TensorModel(
        path,
        format,
        Collections.unmodifiableList(sorted),
        Collections.unmodifiableMap(new LinkedHashMap<>(metadata)),
        res);
  }

  /** The path that was opened. */
  public Path path() {
    return path;
  }

  /** The detected format. */
  public Format format() {
    return format;
  }

  /** The tensors, sorted by name in code point order. */
  public List<TensorSource> tensors() {
    return tensors;
  }

  /** Metadata as text (safetensors {@code __metadata__}, GGUF key/values); not fingerprinted. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Closes the files; sources must not be used afterwards. */
  @Override
  public void close() {
    closeAll(resources);
  }

  /** Closes each of {@code resources}, ignoring failures (read-only files). */
  public static void closeAll(List<? extends Closeable> resources) {
    for (Closeable c : resources) {
      try {
        c.close();
      } catch (IOException e) {
        // Read-only: nothing is lost.
      }
    }
  }
}
