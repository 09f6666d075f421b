package dev.modelseal.formats.tfjs;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of TensorFlow.js models ({@link TfjsReader}): a JSON object with {@code
 * weightsManifest}, a weights manifest on its own (a top-level array of {@code {paths, weights}}
 * groups, as face-api.js ships it and {@code tf.io.loadWeights} reads it), or a directory with
 * {@code model.json}.
 */
public final class TfjsFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.TFJS;
  }

  @Override
  public int precedence() {
    return 1100;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    if (probe.path().isEmpty()) {
      return false;
    }
    Path path = probe.path().get();
    if (probe.isDirectory()) {
      return Files.isRegularFile(path.resolve(TfjsReader.MODEL_JSON));
    }
    return (probe.headStartsJsonObject() || startsJsonArray(probe))
        && TfjsReader.sniff(path, probe.limits());
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return TfjsReader.open(path, limits);
  }

  /** True when the first non-whitespace byte of the head is {@code '['}. */
  private static boolean startsJsonArray(FormatProbe probe) {
    for (int i = 0; i < probe.headLength(); i++) {
      int b = probe.headByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '[';
      }
    }
    return false;
  }
}
