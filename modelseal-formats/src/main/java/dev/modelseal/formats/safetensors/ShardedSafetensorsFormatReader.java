package dev.modelseal.formats.safetensors;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of sharded safetensors models ({@link ShardedSafetensorsReader}): a
 * directory with {@code model.safetensors.index.json}; a JSON file no other reader claims is taken
 * for a damaged index.
 */
public final class ShardedSafetensorsFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.SAFETENSORS_SHARDED;
  }

  @Override
  public int precedence() {
    return 850;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    return probe.isDirectory()
        && Files.isRegularFile(probe.path().orElseThrow().resolve(ShardedSafetensorsReader.INDEX));
  }

  @Override
  public boolean sniffDamaged(FormatProbe probe) {
    return !probe.isDirectory() && probe.headStartsJsonObject();
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return ShardedSafetensorsReader.open(
        Files.isDirectory(path) ? path.resolve(ShardedSafetensorsReader.INDEX) : path, limits);
  }
}
