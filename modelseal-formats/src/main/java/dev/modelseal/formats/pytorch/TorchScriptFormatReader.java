package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of TorchScript archives ({@link TorchZipReader}): a zip with {@code
 * PREFIX/data.pkl} and {@code code/} or {@code constants.pkl}.
 */
public final class TorchScriptFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.TORCHSCRIPT;
  }

  @Override
  public int precedence() {
    return 310;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return probe.headIsZip()
        && probe.path().isPresent()
        && TorchZipReader.probe(probe.path().get(), probe.limits()) == Format.TORCHSCRIPT;
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return TorchZipReader.open(path, limits);
  }
}
