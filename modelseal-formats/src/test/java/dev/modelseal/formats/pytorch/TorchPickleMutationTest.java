package dev.modelseal.formats.pytorch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PickleMachine;
import dev.modelseal.formats.pickle.PickleTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every single-bit flip and every truncation of the real {@code data.pkl} of torch's own files,
 * interpreted with the PyTorch resolver, named by the tree walk and validated as views, ends in a
 * value or a one-line FormatException (the zip's CRC check is bypassed here, so the pickle code is
 * what is tested).
 */
class TorchPickleMutationTest {
  @ParameterizedTest
  @ValueSource(strings = {"views.pt", "tiny_script.pt", "all.pt"})
  void dataPklMutations_failOnlyWithFormatException(String fixture) throws Exception {
    byte[] pkl;
    Path f = Shared.fixture(fixture);
    try (ZipFile z = new ZipFile(f.toFile())) {
      ZipEntry e =
          z.stream().filter(x -> x.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
      pkl = z.getInputStream(e).readAllBytes();
    }
    List<String> failures = new ArrayList<>();
    check(f, pkl, "valid", failures, true);
    for (int n = 0; n < pkl.length; n++) {
      check(f, Arrays.copyOf(pkl, n), "truncated to " + n, failures, false);
    }
    for (int i = 0; i < pkl.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] m = pkl.clone();
        m[i] ^= (byte) (1 << bit);
        check(f, m, "bit " + bit + " of byte " + i, failures, false);
      }
    }
    assertThat(failures).isEmpty();
  }

  /** Storage data that is never read: the test checks view validation only. */
  private static final class Empty implements StorageData {
    @Override
    public long length() {
      return 0;
    }

    @Override
    public TensorStream range(long from, long length) {
      throw new UnsupportedOperationException();
    }
  }

  private static void check(Path f, byte[] pkl, String what, List<String> failures, boolean ok) {
    PickleLimits limits = PickleLimits.builder().nodes(100_000).build();
    try {
      TorchResolver r = new TorchResolver(f, "data.pkl", false);
      PickleMachine.Result res = PickleMachine.run(pkl, f, "data.pkl", r, limits);
      Map<String, TensorRef> named =
          PickleTree.tensors(res.value(), TensorRef.class, f, "data.pkl", limits);
      Map<String, StorageData> data = new HashMap<>();
      for (StorageRef s : r.storages().values()) {
        data.put(s.key(), new Empty());
      }
      TorchTensors.sources(named, data, f, false, ReadLimits.defaults());
    } catch (FormatException e) {
      if (ok || e.getMessage().contains("\n")) {
        failures.add(what + ": " + e.getMessage());
      }
    } catch (Exception | Error e) {
      failures.add(what + ": " + e);
    }
  }
}
