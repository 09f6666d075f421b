package dev.modelseal.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.ModelIoException;
import dev.modelseal.fingerprint.Fingerprinter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Truncations and single-bit flips (of the first bytes) of a valid file either fingerprint or fail
 * with the project's own exceptions, in one line of under 300 bytes: never another exception, never
 * a hang. Failures are collected, then asserted empty.
 *
 * <p>Truncations: every length up to {@link #DENSE_HEAD} bytes and in the last {@link #DENSE_TAIL}
 * bytes (headers, footers and their length fields), and in between an even stride plus positions
 * drawn from a generator seeded by the fixture name, {@link #SAMPLED} in all: the same positions on
 * every run. Flips: every bit of the first {@link #DENSE_FLIP_BYTES} bytes, then one bit per byte
 * (the bit drawn from the same generator) up to {@link #FLIP_BYTES}. {@code
 * -Dmodelseal.mutation.full=true} truncates at every length and flips every bit of the first {@link
 * #FLIP_BYTES} bytes instead.
 */
class MutationTest {
  private static final int FLIP_BYTES = 192;
  private static final int DENSE_HEAD = 256;
  private static final int DENSE_TAIL = 128;
  private static final int SAMPLED = 384;
  private static final int DENSE_FLIP_BYTES = 64;
  private static final boolean FULL = Boolean.getBoolean("modelseal.mutation.full");

  /** The truncation lengths tried for a file of {@code n} bytes. */
  static int[] truncations(int n, String fixture) {
    if (FULL || n <= DENSE_HEAD + DENSE_TAIL + SAMPLED) {
      return IntStream.range(0, n).toArray();
    }
    TreeSet<Integer> lengths = new TreeSet<>();
    for (int i = 0; i < DENSE_HEAD; i++) {
      lengths.add(i);
    }
    for (int i = n - DENSE_TAIL; i < n; i++) {
      lengths.add(i);
    }
    int middle = n - DENSE_TAIL - DENSE_HEAD;
    int stride = Math.max(1, middle / (SAMPLED / 2));
    for (int i = DENSE_HEAD; i < n - DENSE_TAIL; i += stride) {
      lengths.add(i);
    }
    Random r = new Random(fixture.hashCode());
    for (int k = 0; k < SAMPLED / 2; k++) {
      lengths.add(DENSE_HEAD + r.nextInt(middle));
    }
    return lengths.stream().mapToInt(Integer::intValue).toArray();
  }

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "common.safetensors",
        "common.gguf",
        "all.gguf",
        "fortran_f32_3d.npy",
        "be_f64.npy",
        "common_compressed.npz",
        "common_legacy.pt",
        "views.pt",
        "tiny_script.pt",
        "onnx/all_typed.onnx",
        "onnx/structures.onnx",
        "savedmodel/v1/model.ckpt",
        "savedmodel/snappy/variables/variables.index"
      })
  void mutations_failOnlyWithFormatOrIoExceptions(String fixture) throws Exception {
    byte[] valid = Files.readAllBytes(Shared.fixture(fixture));
    Path p = dir.resolve("mutant");
    List<String> failures = new ArrayList<>();
    for (int len : truncations(valid.length, fixture)) {
      check(p, Arrays.copyOf(valid, len), "truncated to " + len, failures);
    }
    int flips = Math.min(FLIP_BYTES, valid.length);
    Random r = new Random(~fixture.hashCode());
    for (int i = 0; i < flips; i++) {
      int one = r.nextInt(8);
      for (int bit = 0; bit < 8; bit++) {
        if (!FULL && i >= DENSE_FLIP_BYTES && bit != one) {
          continue;
        }
        byte[] m = valid.clone();
        m[i] ^= (byte) (1 << bit);
        check(p, m, "bit " + bit + " of byte " + i, failures);
      }
    }
    assertThat(failures).isEmpty();
  }

  private static void check(Path p, byte[] content, String what, List<String> failures)
      throws Exception {
    Files.write(p, content);
    try {
      Fingerprinter.create().threads(1).fingerprint(p);
    } catch (FormatException | ModelIoException e) {
      if (e.getMessage().contains("\n")) {
        failures.add(what + ": multi-line message");
      }
      if (e.getMessage().getBytes(StandardCharsets.UTF_8).length >= 300) {
        failures.add(what + ": message of " + e.getMessage().length() + " characters");
      }
    } catch (Exception | Error e) {
      failures.add(what + ": " + e);
    }
  }
}
