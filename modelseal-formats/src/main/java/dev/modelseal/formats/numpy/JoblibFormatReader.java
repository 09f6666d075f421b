package dev.modelseal.formats.numpy;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of {@code joblib.dump} files ({@link JoblibReader}): a pickle of
 * protocol 2 to 5 that names joblib's {@code NumpyArrayWrapper} in its first {@value #PROBE_BYTES}
 * bytes.
 */
public final class JoblibFormatReader implements FormatReader {
  /** How far into the file the wrapper's name is looked for. */
  static final int PROBE_BYTES = 1 << 16;

  private static final byte[] WRAPPER = "NumpyArrayWrapper".getBytes(StandardCharsets.US_ASCII);

  @Override
  public Format format() {
    return Format.JOBLIB;
  }

  @Override
  public int precedence() {
    return 820;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    if (probe.headByte(0) != 0x80
        || probe.headByte(1) < 2
        || probe.headByte(1) > 5
        || probe.path().isEmpty()
        || probe.isDirectory()) {
      return false;
    }
    Path file = probe.path().get();
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readNBytes(PROBE_BYTES);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    for (int i = 0; i + WRAPPER.length <= b.length; i++) {
      int k = 0;
      while (k < WRAPPER.length && b[i + k] == WRAPPER[k]) {
        k++;
      }
      if (k == WRAPPER.length) {
        return true;
      }
    }
    return false;
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return JoblibReader.open(path, limits);
  }
}
