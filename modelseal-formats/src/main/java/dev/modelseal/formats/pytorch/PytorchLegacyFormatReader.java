package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of the legacy {@code torch.save} format ({@link TorchLegacyReader}): a
 * pickle of the legacy magic number.
 */
public final class PytorchLegacyFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.PYTORCH_LEGACY;
  }

  @Override
  public int precedence() {
    return 800;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return TorchLegacyReader.probe(probe);
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return TorchLegacyReader.open(path, limits);
  }
}
