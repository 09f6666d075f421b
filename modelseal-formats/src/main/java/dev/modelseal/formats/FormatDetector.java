package dev.modelseal.formats;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.gguf.GgufReader;
import dev.modelseal.formats.keras.Hdf5Signature;
import dev.modelseal.formats.keras.KerasH5Reader;
import dev.modelseal.formats.keras.KerasZipReader;
import dev.modelseal.formats.numpy.NpyReader;
import dev.modelseal.formats.numpy.NpzReader;
import dev.modelseal.formats.onnx.OnnxReader;
import dev.modelseal.formats.pytorch.TorchLegacyReader;
import dev.modelseal.formats.pytorch.TorchZipReader;
import dev.modelseal.formats.safetensors.SafetensorsReader;
import dev.modelseal.formats.safetensors.ShardedSafetensorsReader;
import dev.modelseal.formats.savedmodel.SavedModelReader;
import dev.modelseal.formats.tfjs.TfjsReader;
import dev.modelseal.formats.tflite.TfliteReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Chooses a reader by content, never by file name: {@code GGUF} magic, {@code \x93NUMPY} magic, a
 * zip local or end header ({@code PK}) for .npz or, with a {@code PREFIX/data.pkl} member, a
 * PyTorch or TorchScript archive, a pickle of the legacy PyTorch magic number, a u64 header
 * length followed by {@code {} for safetensors, an ONNX ModelProto ({@link OnnxReader#sniff}),
 * and for a directory (or a JSON file) the {@code model.safetensors.index.json} of a sharded
 * safetensors model. The TensorFlow family: the HDF5 signature (at 0 or after a user block of 512,
 * 1024, ... bytes) for Keras {@code .h5}, a zip with {@code config.json} and {@code
 * model.weights.h5} for {@code .keras}, a JSON object with {@code weightsManifest} (or a
 * directory with {@code model.json}) for TF.js, the {@code TFL3} identifier of TFLite, and a
 * SavedModel directory ({@code saved_model.pb} and {@code variables/variables.index}) or a file
 * ending with the table magic of a TensorFlow tensor bundle index.
 *
 * <p>Guarantee: the returned model passed the chosen reader's full validation; anything else is a
 * {@link FormatException} (or {@link ModelIoException}) with a one-line reason naming the file.
 */
public final class FormatDetector {
  private final ReadLimits limits;

  private FormatDetector(ReadLimits limits) {
    this.limits = limits;
  }

  /** A detector using {@link ReadLimits#defaults()}. */
  public static FormatDetector create() {
    return new FormatDetector(ReadLimits.defaults());
  }

  /** A detector using {@code limits}. */
  public static FormatDetector withLimits(ReadLimits limits) {
    return new FormatDetector(Objects.requireNonNull(limits, "limits"));
  }

  /** The format of {@code path}, from its content. */
  public Format detect(Path path) throws ModelsealException {
    if (Files.isDirectory(path)) {
      Path index = path.resolve(ShardedSafetensorsReader.INDEX);
      if (Files.isRegularFile(index)) {
        return Format.SAFETENSORS_SHARDED;
      }
      if (Files.isRegularFile(path.resolve(TfjsReader.MODEL_JSON))) {
        return Format.TFJS;
      }
      if (SavedModelReader.isSavedModelDir(path)) {
        return Format.SAVEDMODEL;
      }
      throw new UnsupportedModelException(
          path,
          "directory has no "
              + ShardedSafetensorsReader.INDEX
              + ", "
              + TfjsReader.MODEL_JSON
              + " or a SavedModel's saved_model.pb and variables; give a model file");
    }
    byte[] head = new byte[16];
    int n;
    long size;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
      size = Files.size(path);
    } catch (IOException e) {
      throw ModelIoException.of(path, e);
    }
    if (n >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
      return Format.GGUF;
    }
    if (n >= 6
        && (head[0] & 0xFF) == 0x93
        && head[1] == 'N'
        && head[2] == 'U'
        && head[3] == 'M'
        && head[4] == 'P'
        && head[5] == 'Y') {
      return Format.NPY;
    }
    if (n >= 4
        && head[0] == 'P'
        && head[1] == 'K'
        && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
      Format torch = TorchZipReader.probe(path, limits);
      if (torch != null) {
        return torch;
      }
      return KerasZipReader.probe(path, limits) ? Format.KERAS : Format.NPZ;
    }
    if (Hdf5Signature.startsWith(head, n) || hdf5AfterUserBlock(path, size)) {
      return Format.KERAS_H5;
    }
    if (TfliteReader.sniff(head, n)) {
      return Format.TFLITE;
    }
    if (TorchLegacyReader.probe(head, n)) {
      return Format.PYTORCH_LEGACY;
    }
    if (n >= 9 && head[8] == '{') {
      long len = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (len >= 1 && len <= size - 8) {
        return Format.SAFETENSORS;
      }
    }
    if (n >= 4 && head[0] == 0x08 && OnnxReader.sniff(path)) {
      return Format.ONNX;
    }
    if (SavedModelReader.sniffIndex(path)) {
      return Format.SAVEDMODEL;
    }
    int first = 0;
    while (first < n && Character.isWhitespace(head[first])) {
      first++;
    }
    if (first < n && head[first] == '{') {
      return TfjsReader.sniff(path, limits) ? Format.TFJS : Format.SAFETENSORS_SHARDED;
    }
    if (n >= 9 && head[8] == '{') {
      // An implausible header length: let the safetensors reader say precisely what is wrong.
      return Format.SAFETENSORS;
    }
    throw new UnsupportedModelException(
        path,
        "not a recognised tensor format (safetensors, GGUF, .npy, .npz, PyTorch, ONNX, Keras,"
            + " TF.js, TFLite or a TensorFlow SavedModel)");
  }

  /** Detects the format of {@code path} and opens it with the matching reader. */
  public TensorModel open(Path path) throws ModelsealException {
    Format f = detect(path);
    return switch (f) {
      case SAFETENSORS -> SafetensorsReader.open(path, limits);
      case SAFETENSORS_SHARDED ->
          ShardedSafetensorsReader.open(
              Files.isDirectory(path) ? path.resolve(ShardedSafetensorsReader.INDEX) : path,
              limits);
      case GGUF -> GgufReader.open(path, limits);
      case NPY -> NpyReader.open(path, limits);
      case NPZ -> NpzReader.open(path, limits);
      case PYTORCH, TORCHSCRIPT -> TorchZipReader.open(path, limits);
      case PYTORCH_LEGACY -> TorchLegacyReader.open(path, limits);
      case ONNX -> OnnxReader.open(path, limits);
      case KERAS_H5 -> KerasH5Reader.open(path, limits);
      case KERAS -> KerasZipReader.open(path, limits);
      case TFJS -> TfjsReader.open(path, limits);
      case SAVEDMODEL -> SavedModelReader.open(path, limits);
      case TFLITE -> TfliteReader.open(path, limits);
    };
  }

  /** An HDF5 superblock after a user block (offset 512, 1024, ...). */
  private static boolean hdf5AfterUserBlock(Path path, long size) throws ModelsealException {
    if (size < 520) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return Hdf5Signature.find(ch, 0, size) > 0;
    } catch (IOException e) {
      throw ModelIoException.of(path, e);
    }
  }
}
