package dev.modelseal.formats.keras;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of Keras 3 {@code .keras} zips ({@link KerasZipReader}): a zip with
 * {@code config.json} and {@code model.weights.h5}.
 */
public final class KerasZipFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.KERAS;
  }

  @Override
  public int precedence() {
    return 400;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return probe.headIsZip()
        && probe.path().isPresent()
        && KerasZipReader.probe(probe.path().get(), probe.limits());
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return KerasZipReader.open(path, limits);
  }
}
