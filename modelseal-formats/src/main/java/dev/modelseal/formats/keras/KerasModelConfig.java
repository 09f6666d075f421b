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
  private KerasModelConfig() {}

  /** The model configuration JSON of {@code file}, if it has one. */
  public static Optional<String> read(Path file) throws ModelsealException {
    return read(file, "model_config");
  }

  /**
   * The training configuration JSON (optimizer, loss, metrics) of a Keras 2 HDF5 file, if it has
   * one; {@code .keras} archives keep it inside {@code config.json} ({@code compile_config}).
   */
  public static Optional<String> readTrainingConfig(Path file) throws ModelsealException {
    return read(file, "training_config");
  }

  private static Optional<String> read(Path file, String attribute) throws ModelsealException {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K') {
      if (!attribute.equals("model_config")) {
        return Optional.empty();
      }
      try (ZipFile zip = KerasZipReader.openZip(file)) {
        ZipEntry e = zip.getEntry(KerasZipReader.CONFIG);
        return e == null ? Optional.empty() : Optional.of(KerasZipReader.text(zip, e, file));
      } catch (IOException e) {
        throw ModelIoException.of(file, e);
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (Hdf5Signature.find(ch, 0, size) < 0) {
        return Optional.empty();
      }
      String text = KerasHdf5.rootText(file, ch, 0, size, attribute);
      if (text != null) {
        LimitExceededException.check(
            file, attribute + " length", text.length(), KerasHdf5.MAX_ATTRIBUTE_BYTES);
      }
      return Optional.ofNullable(text);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }
}
