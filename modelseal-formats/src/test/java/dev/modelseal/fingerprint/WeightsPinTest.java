package dev.modelseal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.IntegrityException;
import dev.modelseal.formats.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins of weights and content digests, across formats, with changed tensors named. */
class WeightsPinTest {
  @TempDir Path dir;

  private static Fingerprint fp(String fixture) throws Exception {
    return Fingerprinter.create().fingerprint(Shared.fixture(fixture));
  }

  @Test
  void weightsPin_sameTensorsInAnotherFormat_verifies() throws Exception {
    Fingerprint st = fp("common.safetensors");
    VerifiedWeights v =
        WeightsPin.of(st.weights().toString()).verify(Shared.fixture("onnx/common_typed.onnx"));
    assertThat(v.fingerprint().weights()).isEqualTo(st.weights());
    assertThat(WeightsPin.of(st).verify(Shared.fixture("common.gguf")).path())
        .isEqualTo(Shared.fixture("common.gguf"));
  }

  @Test
  void weightsPin_renamedTensors_throws_contentPinVerifies() throws Exception {
    Fingerprint st = fp("common.safetensors");
    Path renamed = Shared.fixture("common_renamed.gguf");
    assertThatThrownBy(() -> WeightsPin.of(st.weights().toString()).verify(renamed))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("pinned " + st.weights());
    assertThat(WeightsPin.content(st.content().toString()).verify(renamed)).isNotNull();
  }

  @Test
  void fingerprintPin_namesChangedAddedRemovedTensors() throws Exception {
    Fingerprint common = fp("common.safetensors");
    Path all = Shared.fixture("all.npz");
    assertThatThrownBy(() -> WeightsPin.of(common).verify(all))
        .isInstanceOfSatisfying(
            WeightsMismatchException.class,
            e -> {
              assertThat(e.differences()).contains("added bool", "added fortran");
              assertThat(e.expected()).isEqualTo(common.weights());
              assertThat(e.getMessage()).doesNotContain("\n").contains("added u8");
            });
    Path changed = dir.resolve("common.onnx");
    byte[] b = Files.readAllBytes(Shared.fixture("onnx/common.onnx"));
    // Flip the lowest bit of pi in the raw_data of tensor f64.
    byte[] pi =
        java.nio.ByteBuffer.allocate(8)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putDouble(Math.PI)
            .array();
    int at = indexOf(b, pi);
    assertThat(at).isPositive();
    b[at] ^= 1;
    Files.write(changed, b);
    assertThatThrownBy(() -> WeightsPin.of(common).verify(changed))
        .isInstanceOfSatisfying(
            WeightsMismatchException.class,
            e -> assertThat(e.differences()).containsExactly("changed f64"));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void malformedDigest_rejected() {
    assertThatThrownBy(() -> WeightsPin.of("sha256:1234"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WeightsPin.content("md5:00"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
