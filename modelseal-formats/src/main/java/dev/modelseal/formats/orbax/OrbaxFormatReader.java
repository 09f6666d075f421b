package dev.modelseal.formats.orbax;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of Orbax checkpoints ({@link OrbaxReader}): a directory holding the
 * regular file {@code _METADATA} (orbax's pytree metadata) and {@code _CHECKPOINT_METADATA}, {@code
 * manifest.ocdbt} or the aggregate file {@code checkpoint}.
 */
public final class OrbaxFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.ORBAX;
  }

  @Override
  public int precedence() {
    return 1250;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    if (!probe.isDirectory() || probe.path().isEmpty()) {
      return false;
    }
    Path dir = probe.path().get();
    return Files.isRegularFile(dir.resolve("_METADATA"), LinkOption.NOFOLLOW_LINKS)
        && (Files.isRegularFile(dir.resolve("_CHECKPOINT_METADATA"), LinkOption.NOFOLLOW_LINKS)
            || Files.isRegularFile(dir.resolve("manifest.ocdbt"), LinkOption.NOFOLLOW_LINKS)
            || Files.isRegularFile(dir.resolve("checkpoint"), LinkOption.NOFOLLOW_LINKS));
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return OrbaxReader.open(path, limits);
  }
}
