package dev.modelseal.formats.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.ExpectedFingerprints;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sparse TFLite weights written by TensorFlow 2.21's converter ({@code generate_tflite_sparse.py}:
 * CSR, 1x4 blocks, int8 with 1x16 blocks, Int32 index vectors) are densified as TFLite's Densify
 * kernel does: the fingerprints equal those the independent Python densification computed (itself
 * checked against the interpreter), and each file's weights digest equals that of its densified
 * twin written by the safetensors library. Hostile sparsity parameters (an index out of range,
 * segments out of order, a traversal order or block map that is not one, one stored value too few,
 * a dense size over the limit) fail closed with one line.
 */
class TfliteSparseTest {
  private static Path fixture(String name) {
    return Shared.fixture("tflite/" + name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sparse_csr.tflite",
        "sparse_block.tflite",
        "sparse_int8.tflite",
        "sparse_csr_int32.tflite"
      })
  void sparseWeights_matchTheIndependentDensification_andTheirDenseTwins(String name)
      throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(fixture("expected_tflite_sparse.json")));
    Fingerprint f = Fingerprinter.create().fingerprint(fixture(name));
    assertThat(ExpectedFingerprints.mismatches(name, f, expected.get(name))).isEmpty();
    Fingerprint twin =
        Fingerprinter.create().fingerprint(fixture(name.replace(".tflite", ".dense.safetensors")));
    assertThat(f.weights()).isEqualTo(twin.weights());
  }

  @ParameterizedTest
  @CsvSource({
    "sparse_bad_index.tflite, index 64 outside its dimension of 16",
    "sparse_bad_segments.tflite, segment out of order",
    "sparse_bad_order.tflite, traversal_order is not a permutation",
    "sparse_bad_block_map.tflite, block_map names 7",
    "sparse_bad_count.tflite, but the buffer stores"
  })
  void hostileSparsity_failsClosed(String name, String reason) {
    assertThatThrownBy(() -> Fingerprinter.create().fingerprint(fixture(name)))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(300));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sparse_huge.tflite"})
  void aDenseSizeOverTheLimit_isRefusedWhenOpened(String name) {
    assertThatThrownBy(() -> TfliteReader.open(fixture(name), ReadLimits.defaults()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("dense size");
    // within a raised limit its segments (for 64 rows, not 16,384) fail before any allocation
    assertThatThrownBy(
            () ->
                TfliteReader.open(
                    fixture(name),
                    ReadLimits.builder().inMemoryTensorBytes(ReadLimits.MAX_ARRAY).build()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("segments for 16384 parent positions");
  }
}
