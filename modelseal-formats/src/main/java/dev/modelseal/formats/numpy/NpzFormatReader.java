package dev.modelseal.formats.numpy;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of {@code .npz} zips ({@link NpzReader}): any zip no reader before it
 * claims.
 */
public final class NpzFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.NPZ;
  }

  @Override
  public int precedence() {
    return 500;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return probe.headIsZip();
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return NpzReader.open(path, limits);
  }
}
