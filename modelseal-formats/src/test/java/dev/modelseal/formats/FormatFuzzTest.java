package dev.modelseal.formats;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.gguf.GgufReader;
import dev.modelseal.formats.numpy.NpyReader;
import dev.modelseal.formats.numpy.NpzReader;
import dev.modelseal.formats.onnx.OnnxReader;
import dev.modelseal.formats.safetensors.SafetensorsReader;
import java.nio.file.Path;

/**
 * One Jazzer harness per reader: any input either opens and fingerprints, or fails with the
 * project's {@link FormatException} family; every other exception or error is a finding. Without
 * {@code JAZZER_FUZZ} the harnesses run over the committed seeds in {@code
 * FormatFuzzTestInputs/<method>/}; see {@code FUZZING.md} for real fuzzing.
 */
class FormatFuzzTest {
  /** Small in-memory limits, so that a fuzzer input cannot make the harness allocate much. */
  private static final ReadLimits LIMITS =
      ReadLimits.defaults()
          .withInMemoryTensorBytes(1 << 20)
          .withGgufStringBytes(1 << 20)
          .withSafetensorsHeaderBytes(1 << 20)
          .withTensors(10_000);

  private static final Path DIR = FuzzChecks.tempDirectory("modelseal-fuzz");

  private static void run(String name, byte[] data, Reader reader) throws ModelsealException {
    FuzzChecks.openAndFingerprint(DIR.resolve(name), data, f -> reader.open(f, LIMITS));
  }

  /** Opens the input with one reader. */
  private interface Reader {
    TensorModel open(Path file, ReadLimits limits) throws ModelsealException;
  }

  @FuzzTest(maxDuration = "60s")
  void safetensors(byte[] data) throws ModelsealException {
    run("model.safetensors", data, SafetensorsReader::open);
  }

  @FuzzTest(maxDuration = "60s")
  void gguf(byte[] data) throws ModelsealException {
    run("model.gguf", data, GgufReader::open);
  }

  @FuzzTest(maxDuration = "60s")
  void npy(byte[] data) throws ModelsealException {
    run("array.npy", data, NpyReader::open);
  }

  @FuzzTest(maxDuration = "60s")
  void npz(byte[] data) throws ModelsealException {
    run("arrays.npz", data, NpzReader::open);
  }

  @FuzzTest(maxDuration = "60s")
  void onnx(byte[] data) throws ModelsealException {
    run("model.onnx", data, OnnxReader::open);
  }
}
