package dev.modelseal.formats;

import dev.modelseal.ModelsealException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Chooses a reader by content, never by file name: it asks every {@link FormatReader} on the class
 * path (the built-in ones are listed in {@code META-INF/services/dev.modelseal.formats.FormatReader})
 * in {@linkplain FormatReader#precedence() precedence} order whether the content is its format,
 * then, when none says yes, whether it looks like a damaged file of its format. The built-in order:
 * {@code GGUF} magic, {@code \x93NUMPY} magic, a zip with a {@code PREFIX/data.pkl} member
 * (PyTorch, or TorchScript with {@code code/} or {@code constants.pkl}), a zip with {@code
 * config.json} and {@code model.weights.h5} (.keras), any other zip (.npz), the HDF5 signature at 0
 * or after a user block of 512, 1024, ... bytes (Keras .h5), the {@code TFL3} identifier (TFLite),
 * a pickle of the legacy PyTorch magic number, a directory with {@code
 * model.safetensors.index.json} (sharded safetensors), a u64 header length followed by {@code {}
 * (safetensors), an ONNX ModelProto, a JSON object with {@code weightsManifest} or a directory
 * with {@code model.json} (TF.js), a SavedModel directory ({@code saved_model.pb} and {@code
 * variables/variables.index}) or a file ending with the table magic of a TensorFlow tensor bundle
 * index, a directory with an Orbax {@code _METADATA} (Orbax), a msgpack value holding a Flax
 * array extension (Flax).
 * Damaged: any other JSON object (a safetensors index), any other {@code {} after 8 bytes
 * (safetensors).
 *
 * <p>Guarantee: the returned model passed the chosen reader's full validation; anything else is a
 * {@link FormatException} (or {@link ModelIoException}) with a one-line reason naming the file.
 */
public final class FormatDetector {
  private static final class Readers {
    static final List<FormatReader> ALL = load();
    static final Map<Format, FormatReader> BY_FORMAT = byFormat(ALL);

    private static List<FormatReader> load() {
      List<FormatReader> all = new ArrayList<>();
      for (FormatReader r :
          ServiceLoader.load(FormatReader.class, FormatDetector.class.getClassLoader())) {
        all.add(r);
      }
      if (all.isEmpty()) {
        throw new IllegalStateException(
            "no tensor format readers on the class path (META-INF/services/"
                + FormatReader.class.getName()
                + ")");
      }
      all.sort(Comparator.comparingInt(FormatReader::precedence));
      return List.copyOf(all);
    }

    private static Map<Format, FormatReader> byFormat(List<FormatReader> all) {
      Map<Format, FormatReader> m = new EnumMap<>(Format.class);
      for (FormatReader r : all) {
        m.putIfAbsent(r.format(), r);
      }
      return m;
    }
  }

  private final ReadLimits limits;

  private FormatDetector(ReadLimits limits) {
    this.limits = limits;
  }

  /** A detector using {@link ReadLimits#defaults()}. */
  public static FormatDetector create() {
    return new FormatDetector(ReadLimits.defaults());
  }

  /** A detector using {@code limits}. */
  public static FormatDetector withLimits(ReadLimits limits) {
    return new FormatDetector(Objects.requireNonNull(limits, "limits"));
  }

  /** The readers the detector asks, in the order it asks them. */
  public static List<FormatReader> readers() {
    return Readers.ALL;
  }

  /** The format of {@code path}, from its content. */
  public Format detect(Path path) throws ModelsealException {
    return reader(path).format();
  }

  /** Detects the format of {@code path} and opens it with the matching reader. */
  public TensorModel open(Path path) throws ModelsealException {
    return reader(path).open(path, limits);
  }

  private FormatReader reader(Path path) throws ModelsealException {
    FormatProbe probe = FormatProbe.of(path, limits);
    for (FormatReader r : Readers.ALL) {
      if (r.sniff(probe)) {
        return r;
      }
    }
    for (FormatReader r : Readers.ALL) {
      if (r.sniffDamaged(probe)) {
        return r;
      }
    }
    if (probe.isDirectory()) {
      throw new UnsupportedModelException(
          path,
          "directory has no model.safetensors.index.json, model.json or a SavedModel's"
              + " saved_model.pb and variables, or an Orbax _METADATA; give a model file");
    }
    throw new UnsupportedModelException(
        path,
        "not a recognised tensor format (safetensors, GGUF, .npy, .npz, PyTorch, ONNX, Keras,"
            + " TF.js, TFLite, a TensorFlow SavedModel or a Flax msgpack checkpoint)");
  }

  /** The reader of {@code format} on the class path. */
  public static FormatReader reader(Format format) {
    FormatReader r = Readers.BY_FORMAT.get(Objects.requireNonNull(format, "format"));
    if (r == null) {
      throw new IllegalStateException("no reader for " + format.label() + " on the class path");
    }
    return r;
  }
}
