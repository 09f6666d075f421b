package dev.modelseal.formats.gguf;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/** The {@link FormatReader} of GGUF files ({@link GgufReader}): the {@code GGUF} magic. */
public final class GgufFormatReader implements FormatReader {
  private static final byte[] MAGIC = {'G', 'G', 'U', 'F'};

  @Override
  public Format format() {
    return Format.GGUF;
  }

  @Override
  public int precedence() {
    return 100;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return probe.headMatches(0, MAGIC);
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return GgufReader.open(path, limits);
  }
}
