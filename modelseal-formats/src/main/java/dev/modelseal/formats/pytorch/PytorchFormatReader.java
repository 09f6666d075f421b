package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of {@code torch.save} zip archives ({@link TorchZipReader}): a zip with
 * a {@code PREFIX/data.pkl} member and no TorchScript code.
 */
public final class PytorchFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.PYTORCH;
  }

  @Override
  public int precedence() {
    return 300;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return probe.headIsZip()
        && probe.path().isPresent()
        && TorchZipReader.probe(probe.path().get(), probe.limits()) == Format.PYTORCH;
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return TorchZipReader.open(path, limits);
  }
}
