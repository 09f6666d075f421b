package dev.modelseal.formats.savedmodel;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of TensorFlow SavedModels ({@link SavedModelReader}): a directory with
 * {@code saved_model.pb} and {@code variables/variables.index}, or a file ending with the table
 * magic of a tensor bundle index.
 */
public final class SavedModelFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.SAVEDMODEL;
  }

  @Override
  public int precedence() {
    return 1200;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    if (probe.path().isEmpty()) {
      return false;
    }
    Path path = probe.path().get();
    return probe.isDirectory()
        ? SavedModelReader.isSavedModelDir(path)
        : SavedModelReader.sniffIndex(path);
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return SavedModelReader.open(path, limits);
  }
}
