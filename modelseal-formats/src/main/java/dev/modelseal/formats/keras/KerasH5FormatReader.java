package dev.modelseal.formats.keras;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@link FormatReader} of Keras HDF5 files ({@link KerasH5Reader}): the HDF5 signature at
 * offset 0 or, for a file on disk, after a user block of 512, 1024, ... bytes.
 */
public final class KerasH5FormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.KERAS_H5;
  }

  @Override
  public int precedence() {
    return 600;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    if (Hdf5Signature.startsWith(probe.head(), probe.headLength())) {
      return true;
    }
    if (probe.path().isEmpty() || probe.isDirectory() || probe.size() < 520) {
      return false;
    }
    Path file = probe.path().get();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return Hdf5Signature.find(ch, 0, probe.size()) > 0;
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return KerasH5Reader.open(path, limits);
  }
}
