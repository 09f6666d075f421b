package dev.modelseal.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.ModelIoException;
import dev.modelseal.fingerprint.Fingerprinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every truncation and every single-bit flip (of the first bytes) of a valid file either
 * fingerprints or fails with the project's own exceptions: never another exception, never a hang.
 * Failures are collected, then asserted empty.
 */
class MutationTest {
  private static final int FLIP_BYTES = 192;

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
        "tiny_script.pt"
      })
  void mutations_failOnlyWithFormatOrIoExceptions(String fixture) throws Exception {
    byte[] valid = Files.readAllBytes(Shared.fixture(fixture));
    Path p = dir.resolve("mutant");
    List<String> failures = new ArrayList<>();
    for (int len = 0; len < valid.length; len++) {
      check(p, Arrays.copyOf(valid, len), "truncated to " + len, failures);
    }
    int flips = Math.min(FLIP_BYTES, valid.length);
    for (int i = 0; i < flips; i++) {
      for (int bit = 0; bit < 8; bit++) {
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
    } catch (Exception | Error e) {
      failures.add(what + ": " + e);
    }
  }
}
