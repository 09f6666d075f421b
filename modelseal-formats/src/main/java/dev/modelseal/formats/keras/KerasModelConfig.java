package dev.modelseal.formats.keras;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.LimitExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keras model configuration of a file, as JSON text, for scanners that inspect layers (for
 * example {@code Lambda} layers carrying marshalled Python code). Chosen by content: an HDF5 file's
 * root attribute {@code model_config} (Keras 2 {@code model.save}), or a {@code .keras} zip's
 * {@code config.json}.
 *
 * <p>Guarantee: the text is returned as stored (UTF-8 decoded), at most {@link
 * KerasZipReader#MAX_JSON_BYTES} ({@code config.json}) or {@link KerasHdf5#MAX_ATTRIBUTE_BYTES}
 * (attribute) long; it is never parsed or interpreted here. A file that is neither HDF5 nor a zip
 * with {@code config.json}, or an HDF5 file without the attribute (a weights-only file), gives
 * {@link Optional#empty()}; a malformed HDF5 or zip file is a {@link
 * dev.modelseal.formats.FormatException}.
 */
public final class KerasModelConfig {
  private static final String MODEL = "model_config";
  private static final String TRAINING = "training_config";

  private KerasModelConfig() {}

  /** The model configuration JSON of {@code file}, if it has one. */
  public static Optional<String> read(Path file) throws ModelsealException {
    return Optional.ofNullable(read(file, List.of(MODEL)).get(MODEL));
  }

  /**
   * The training configuration JSON (optimizer, loss, metrics) of a Keras 2 HDF5 file, if it has
   * one; {@code .keras} archives keep it inside {@code config.json} ({@code compile_config}).
   */
  public static Optional<String> readTrainingConfig(Path file) throws ModelsealException {
    return Optional.ofNullable(read(file, List.of(TRAINING)).get(TRAINING));
  }

  /** Both configurations of {@code file}, read with one opening of the file. */
  public static Configs readAll(Path file) throws ModelsealException {
    Map<String, String> texts = read(file, List.of(MODEL, TRAINING));
    return new Configs(
        Optional.ofNullable(texts.get(MODEL)), Optional.ofNullable(texts.get(TRAINING)));
  }

  /**
   * A file's model and training configurations, as {@link #read} and {@link #readTrainingConfig}
   * give them.
   *
   * @param model the model configuration JSON, if any
   * @param training the training configuration JSON, if any
   */
  public record Configs(Optional<String> model, Optional<String> training) {}

  /** The texts of the {@code attributes} the file has (a .keras zip has only the model's). */
  private static Map<String, String> read(Path file, List<String> attributes)
      throws ModelsealException {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    Map<String, String> out = new HashMap<>();
    if (n >= 4 && head[0] == 'P' && head[1] == 'K') {
      if (!attributes.contains(MODEL)) {
        return out;
      }
      try (ZipFile zip = KerasZipReader.openZip(file)) {
        ZipEntry e = zip.getEntry(KerasZipReader.CONFIG);
        if (e != null) {
          out.put(MODEL, KerasZipReader.text(zip, e, file));
        }
        return out;
      } catch (IOException e) {
        throw ModelIoException.of(file, e);
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (Hdf5Signature.find(ch, 0, size) < 0) {
        return out;
      }
      for (Map.Entry<String, String> t :
          KerasHdf5.rootTexts(file, ch, 0, size, attributes).entrySet()) {
        LimitExceededException.check(
            file, t.getKey() + " length", t.getValue().length(), KerasHdf5.MAX_ATTRIBUTE_BYTES);
        out.put(t.getKey(), t.getValue());
      }
      return out;
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }
}
