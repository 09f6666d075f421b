package dev.modelseal.formats.tflite;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of TFLite flatbuffers ({@link TfliteReader}): the {@code TFL3} file
 * identifier.
 */
public final class TfliteFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.TFLITE;
  }

  @Override
  public int precedence() {
    return 700;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return TfliteReader.sniff(probe.head(), probe.headLength());
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return TfliteReader.open(path, limits);
  }
}
