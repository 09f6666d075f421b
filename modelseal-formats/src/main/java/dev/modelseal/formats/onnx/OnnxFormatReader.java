package dev.modelseal.formats.onnx;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;

/**
 * The {@link FormatReader} of ONNX models ({@link OnnxReader}): a {@code ModelProto} starting with
 * {@code ir_version} and a graph among its first fields; a probe of a stream's head (the scanner's)
 * is judged on the head alone.
 */
public final class OnnxFormatReader implements FormatReader {
  @Override
  public Format format() {
    return Format.ONNX;
  }

  @Override
  public int precedence() {
    return 1000;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    if (probe.headLength() < 4 || probe.headByte(0) != 0x08 || probe.isDirectory()) {
      return false;
    }
    return probe.path().isPresent()
        ? OnnxReader.sniff(probe.path().get())
        : OnnxReader.sniffHead(probe.head(), probe.size());
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return OnnxReader.open(path, limits);
  }
}
