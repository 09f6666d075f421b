package dev.modelseal.formats.pytorch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.FuzzChecks;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PickleMachine;
import dev.modelseal.formats.pickle.PickleTree;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jazzer harnesses for the PyTorch readers, like {@code FormatFuzzTest} for the others: any input
 * either opens and fingerprints, or fails with the project's {@link FormatException} family (with a
 * one-line message); every other exception or error is a finding. Without {@code JAZZER_FUZZ} they
 * run over the committed seeds in {@code TorchFuzzTestInputs/<method>/} (see {@code FUZZING.md}).
 *
 * <ul>
 *   <li>{@code torchZip}: the input is a {@code torch.save} zip or TorchScript archive;
 *   <li>{@code torchLegacy}: the input is a legacy (pre-1.6) {@code torch.save} file, a sequence of
 *       pickles and raw storages, so byte mutations reach the pickle interpreter directly;
 *   <li>{@code torchPickle}: the input is a zip archive's {@code data.pkl}, interpreted with the
 *       zip reader's resolver and tree walk; every storage it declares (up to 1 MiB) is given as
 *       zero bytes, so the tensor views are validated and materialised too. This reaches the
 *       interpreter without the zip's CRC-32 in the way.
 * </ul>
 */
class TorchFuzzTest {
  private static final ReadLimits LIMITS =
      ReadLimits.defaults().withInMemoryTensorBytes(1 << 20).withTensors(10_000);
  private static final PickleLimits PICKLE =
      PickleLimits.builder()
          .opcodes(1_000_000)
          .stringBytes(1 << 20)
          .memo(100_000)
          .nodes(1_000_000)
          .build();

  private static final Path DIR = FuzzChecks.tempDirectory("modelseal-fuzz-torch");

  private interface Reader {
    TensorModel open(Path file, ReadLimits limits, PickleLimits pickleLimits)
        throws ModelsealException;
  }

  private static void run(String name, byte[] data, Reader reader) throws ModelsealException {
    FuzzChecks.openAndFingerprint(DIR.resolve(name), data, f -> reader.open(f, LIMITS, PICKLE));
  }

  @FuzzTest(maxDuration = "60s")
  void torchZip(byte[] data) throws ModelsealException {
    run("model.pt", data, TorchZipReader::open);
  }

  @FuzzTest(maxDuration = "60s")
  void torchLegacy(byte[] data) throws ModelsealException {
    run("legacy.pt", data, TorchLegacyReader::open);
  }

  @FuzzTest(maxDuration = "60s")
  void torchPickle(byte[] data) throws ModelsealException {
    Path file = DIR.resolve("data.pkl");
    String what = "zip member 'archive/data.pkl'";
    try {
      TorchResolver resolver = new TorchResolver(file, what, false);
      PickleMachine.Result r = PickleMachine.run(data, file, what, resolver, PICKLE);
      Map<String, TensorRef> named =
          PickleTree.tensors(r.value(), TensorRef.class, file, what, PICKLE);
      Map<String, StorageData> storages = new HashMap<>();
      for (StorageRef s : resolver.storages().values()) {
        long bytes = s.numel() * TorchTensors.width(s.dtype());
        if (s.numel() < 0 || bytes < 0 || bytes > (1 << 20)) {
          return; // the zip reader checks the member size; nothing here to materialise
        }
        storages.put(s.key(), new Zeros(bytes));
      }
      List<TensorSource> sources = TorchTensors.sources(named, storages, file, false, LIMITS);
      try (TensorModel m = TensorModel.of(file, Format.PYTORCH, sources, Map.of(), List.of())) {
        FuzzChecks.fingerprint(m);
      }
    } catch (FormatException e) {
      FuzzChecks.requireOneLine(e);
    }
  }

  /** A storage record of zero bytes, as a zip member of the declared size would supply. */
  private record Zeros(long length) implements StorageData {
    @Override
    public TensorStream range(long from, long len) {
      if (from < 0 || len < 0 || from + len > length) {
        throw new IllegalStateException("range outside the storage: " + from + "+" + len);
      }
      return Streams.memory(ByteBuffer.allocate((int) len));
    }
  }
}
