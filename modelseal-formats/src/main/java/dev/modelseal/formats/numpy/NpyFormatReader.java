package dev.modelseal.formats.numpy;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of {@code .npy} arrays ({@link NpyReader}): the {@code \\x93NUMPY}
 * magic.
 */
public final class NpyFormatReader implements FormatReader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  @Override
  public Format format() {
    return Format.NPY;
  }

  @Override
  public int precedence() {
    return 200;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return probe.headMatches(0, MAGIC);
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return NpyReader.open(path, limits);
  }
}
