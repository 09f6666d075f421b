package dev.modelseal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.formats.ExpectedFingerprints;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixtures written by numpy, safetensors and gguf-py ({@code generate.py}) have the
 * fingerprints that an independent Python implementation of the definition computed ({@code
 * expected.json}), and the same tensors have the same digests in every format.
 */
class CrossFormatTest {
  private static JsonNode expected;
  private static final Map<String, Fingerprint> ACTUAL = new HashMap<>();

  @BeforeAll
  static void load() throws Exception {
    expected = new ObjectMapper().readTree(Files.readAllBytes(Shared.fixture("expected.json")));
    for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      ACTUAL.put(f, Fingerprinter.create().fingerprint(Shared.fixture(f)));
    }
  }

  @Test
  void everyFixture_matchesIndependentPythonImplementation() {
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      mismatches.addAll(
          ExpectedFingerprints.mismatches(e.getKey(), ACTUAL.get(e.getKey()), e.getValue()));
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void commonTensors_sameWeightsDigestInEveryFormat() {
    Fingerprint st = ACTUAL.get("common.safetensors");
    for (String f : List.of("common.npz", "common_compressed.npz", "common.gguf", "sharded")) {
      assertThat(ACTUAL.get(f).weights()).as(f).isEqualTo(st.weights());
      assertThat(ACTUAL.get(f).content()).as(f).isEqualTo(st.content());
    }
    assertThat(st.tensors()).hasSize(10);
  }

  @Test
  void ggufRenamedTensors_sameContentOtherWeights() {
    Fingerprint a = ACTUAL.get("common.gguf");
    Fingerprint b = ACTUAL.get("common_renamed.gguf");
    assertThat(b.content()).isEqualTo(a.content());
    assertThat(b.weights()).isNotEqualTo(a.weights());
  }

  @Test
  void sameNameSameDtype_sameTensorDigestAcrossAllFiles() {
    Map<String, Map<String, TensorFingerprint>> byFile = new HashMap<>();
    for (String f : List.of("all.safetensors", "all.npz", "all.gguf")) {
      Map<String, TensorFingerprint> m = new HashMap<>();
      ACTUAL.get(f).tensors().forEach(t -> m.put(t.name(), t));
      byFile.put(f, m);
    }
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    for (var a : byFile.entrySet()) {
      for (var b : byFile.entrySet()) {
        for (TensorFingerprint t : a.getValue().values()) {
          TensorFingerprint u = b.getValue().get(t.name());
          if (u != null && u.info().dtype().equals(t.info().dtype())) {
            compared++;
            if (!u.digest().equals(t.digest())) {
              mismatches.add(a.getKey() + "/" + b.getKey() + " " + t.name());
            }
          }
        }
      }
    }
    assertThat(mismatches).isEmpty();
    // bool, u8..u64, c64 in safetensors and npz; bf16 in safetensors and gguf; common everywhere.
    assertThat(compared).isGreaterThan(3 * 10 + 2 * 7);
  }

  @Test
  void fortranAndBigEndianArrays_equalTheirRowMajorLittleEndianTwins() {
    Map<String, TensorFingerprint> npz = new HashMap<>();
    ACTUAL.get("all.npz").tensors().forEach(t -> npz.put(t.name(), t));
    assertThat(npz.get("fortran").digest()).isEqualTo(npz.get("f32_3d").digest());
    assertThat(npz.get("be_i32").digest()).isEqualTo(npz.get("i32").digest());
    assertThat(ACTUAL.get("fortran_f32_3d.npy").content())
        .isEqualTo(ACTUAL.get("f32_3d.npy").content());
    assertThat(ACTUAL.get("be_f64.npy").tensors().get(0).digest())
        .isEqualTo(npz.get("f64").digest());
  }

  @Test
  void formats_detectedByContent() throws Exception {
    Map<String, Format> want =
        Map.of(
            "common.safetensors", Format.SAFETENSORS,
            "common.npz", Format.NPZ,
            "common.gguf", Format.GGUF,
            "scalar.npy", Format.NPY,
            "sharded", Format.SAFETENSORS_SHARDED);
    for (var e : want.entrySet()) {
      assertThat(FormatDetector.create().detect(Shared.fixture(e.getKey())))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void scalarAndEmpty_included() throws Exception {
    try (TensorModel m = FormatDetector.create().open(Shared.fixture("common.gguf"))) {
      var byName = new HashMap<String, long[]>();
      m.tensors().forEach(t -> byName.put(t.info().name(), t.info().shape()));
      assertThat(byName.get("scalar")).isEmpty();
      assertThat(byName.get("empty")).containsExactly(0, 3);
      assertThat(byName.get("f32_3d")).containsExactly(2, 3, 4);
    }
  }
}
