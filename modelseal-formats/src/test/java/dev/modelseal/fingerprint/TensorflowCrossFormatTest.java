package dev.modelseal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.formats.Shared;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The same weights written by the TensorFlow-family writers have the content digest of the same
 * weights in safetensors: h5py (Keras .h5) and @tensorflow/tfjs hold every tensor of the common
 * set; TFLite (flatc) and TensorFlow Java (SavedModel) cannot hold some of them (an empty constant;
 * int8 and int16), so they are compared with the common set less exactly those tensors, whose
 * fingerprint the definition gives.
 */
class TensorflowCrossFormatTest {
  private static Fingerprint fp(String fixture) throws Exception {
    return Fingerprinter.create().fingerprint(Shared.fixture(fixture));
  }

  /** The fingerprint of common.safetensors without the tensors named in {@code absent}. */
  private static Fingerprint commonWithout(Set<String> absent) throws Exception {
    List<TensorFingerprint> kept =
        fp("common.safetensors").tensors().stream()
            .filter(t -> !absent.contains(t.name()))
            .collect(Collectors.toList());
    return Fingerprint.of(kept);
  }

  @Test
  void tflite_sameContentDigest_asTheSameWeightsInSafetensors() throws Exception {
    Fingerprint want = commonWithout(Set.of("empty"));
    assertThat(fp("tflite/common.tflite").content()).isEqualTo(want.content());
    assertThat(fp("tflite/common_external.tflite").content()).isEqualTo(want.content());
  }

  @Test
  void savedModel_sameContentDigest_asTheSameWeightsInSafetensors() throws Exception {
    Fingerprint sm = fp("savedmodel/common");
    Set<String> smDigests =
        sm.tensors().stream().map(t -> t.digest().toString()).collect(Collectors.toSet());
    Set<String> absent =
        fp("common.safetensors").tensors().stream()
            .filter(t -> !smDigests.contains(t.digest().toString()))
            .map(TensorFingerprint::name)
            .collect(Collectors.toSet());
    assertThat(absent).as("tensors TensorFlow Java cannot write").isEqualTo(Set.of("i8", "i16"));
    assertThat(sm.content()).isEqualTo(commonWithout(absent).content());
    assertThat(sm.tensors()).hasSize(fp("common.safetensors").tensors().size() - 2);
  }
}
