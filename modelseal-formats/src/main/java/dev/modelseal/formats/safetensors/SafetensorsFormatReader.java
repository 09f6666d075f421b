package dev.modelseal.formats.safetensors;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/** The {@link FormatReader} of single safetensors files ({@link SafetensorsReader}): a u64 header length of at least 2 (the shortest header, {@code {}}) that fits the content, followed by {@code {}; with an implausible length the file is taken for a damaged safetensors file. */
public final class SafetensorsFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.SAFETENSORS;
  }

  @Override
  public int precedence() {
    return 900;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return SafetensorsReader.sniff(probe);
  }

  @Override
  public boolean sniffDamaged(FormatProbe probe) {
    return probe.headByte(8) == '{';
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return SafetensorsReader.open(path, limits);
  }
}
