package dev.modelseal.formats.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.fingerprint.Fingerprint;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.ExpectedFingerprints;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.UnsupportedModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras HDF5 and {@code .keras} files written by h5py in the Keras layouts ({@code
 * generate_keras.py}) have the fingerprints the independent Python implementation computed, the
 * content digest of the same tensors in safetensors, and malformed files are rejected with our
 * exceptions.
 */
class KerasReaderTest {
  private static Path fixture(String name) {
    return Shared.fixture("keras/" + name);
  }

  @Test
  void everyFixture_matchesIndependentPythonImplementation() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(fixture("expected_keras.json")));
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      Fingerprint f = Fingerprinter.create().fingerprint(fixture(e.getKey()));
      mismatches.addAll(ExpectedFingerprints.mismatches(e.getKey(), f, e.getValue()));
    }
    assertThat(mismatches).isEmpty();
    assertThat(expected.size()).isEqualTo(7);
  }

  @Test
  void commonTensors_sameContentDigestAsSafetensors() throws Exception {
    Fingerprint st = Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors"));
    for (String f :
        List.of(
            "common_model.h5",
            "common_weights.h5",
            "common_userblock.h5",
            "common_chunked.h5",
            "common.keras",
            "common_deflated.keras")) {
      Fingerprint k = Fingerprinter.create().fingerprint(fixture(f));
      assertThat(k.content()).as(f).isEqualTo(st.content());
      assertThat(k.tensors()).as(f).hasSize(10);
    }
    // full model and weights-only files of one model share the weights digest (same names)
    assertThat(Fingerprinter.create().fingerprint(fixture("common_model.h5")).weights())
        .isEqualTo(Fingerprinter.create().fingerprint(fixture("common_weights.h5")).weights());
  }

  @Test
  void detector_recognisesLayoutsByContent() throws Exception {
    FormatDetector d = FormatDetector.create();
    assertThat(d.detect(fixture("common_model.h5"))).isEqualTo(Format.KERAS_H5);
    assertThat(d.detect(fixture("common_userblock.h5"))).isEqualTo(Format.KERAS_H5);
    assertThat(d.detect(fixture("common.keras"))).isEqualTo(Format.KERAS);
    assertThat(d.detect(fixture("common_deflated.keras"))).isEqualTo(Format.KERAS);
    try (TensorModel m = d.open(fixture("common_model.h5"))) {
      assertThat(m.metadata())
          .containsEntry("keras.layout", "keras2-model")
          .containsEntry("keras.keras_version", "2.15.0");
      assertThat(m.tensors().stream().map(t -> t.info().name()))
          .contains("layer_f32/layer_f32/f32:0", "layer_scalar/layer_scalar/scalar:0");
    }
    try (TensorModel m = d.open(fixture("common.keras"))) {
      assertThat(m.metadata()).containsEntry("keras.layout", "keras3-weights");
      assertThat(m.metadata().get("keras.metadata")).contains("3.9.2");
      // the optimizer's variables are not model weights
      assertThat(m.tensors().stream().map(t -> t.info().name()))
          .allMatch(n -> n.startsWith("layers/"));
    }
  }

  @Test
  void modelConfig_fromH5AttributeAndKerasZip() throws Exception {
    assertThat(KerasModelConfig.read(fixture("common_model.h5")))
        .hasValueSatisfying(s -> assertThat(s).startsWith("{\"class_name\": \"Sequential\""));
    assertThat(KerasModelConfig.readTrainingConfig(fixture("common_model.h5")))
        .hasValueSatisfying(s -> assertThat(s).contains("mse"));
    assertThat(KerasModelConfig.read(fixture("common_weights.h5"))).isEmpty();
    assertThat(KerasModelConfig.read(fixture("common.keras")))
        .hasValueSatisfying(s -> assertThat(s).contains("\"module\": \"keras\""));
    assertThat(KerasModelConfig.read(Shared.fixture("common.safetensors"))).isEmpty();
  }

  @Test
  void realKeras3File_flownet() throws Exception {
    Path p = Shared.real("keras-flownet/final_model.keras");
    assertThat(FormatDetector.create().detect(p)).isEqualTo(Format.KERAS);
    try (TensorModel m = FormatDetector.create().open(p)) {
      assertThat(m.tensors()).hasSize(8);
      TensorSource k = m.tensors().get(0);
      assertThat(k.info().toString()).isEqualTo("layers/dense/vars/0: float32[2, 128]");
    }
    Fingerprint f = Fingerprinter.create().fingerprint(p);
    assertThat(f.tensors()).hasSize(8);
    // computed by generate.py's implementation over h5py's reading of model.weights.h5
    assertThat(f.weights().toString())
        .isEqualTo("sha256:76fd61d90694ce1005ca7f182990d47f1f7a3e5898e1076b468658cd921b28b2");
    assertThat(f.content().toString())
        .isEqualTo("sha256:2fbbe6bc6427d23542574cdfeb9c1800a85aeda893fa59151a2d0f9af5e58d38");
    assertThat(KerasModelConfig.read(p)).hasValueSatisfying(s -> assertThat(s).contains("Dense"));
  }

  @Test
  void truncatedAtEveryTenthLength_throwsFormatException(@TempDir Path dir) throws Exception {
    byte[] all = Files.readAllBytes(fixture("common_weights.h5"));
    Path t = dir.resolve("t.h5");
    for (int len = 0; len < all.length; len += Math.max(1, all.length / 97)) {
      Files.write(t, java.util.Arrays.copyOf(all, len));
      assertFingerprintFailsCleanly(t);
    }
  }

  @Test
  void kerasZipTruncated_throwsFormatException(@TempDir Path dir) throws Exception {
    byte[] all = Files.readAllBytes(fixture("common.keras"));
    Path t = dir.resolve("t.keras");
    for (int len = 0; len < all.length; len += Math.max(1, all.length / 89)) {
      Files.write(t, java.util.Arrays.copyOf(all, len));
      assertFingerprintFailsCleanly(t);
    }
  }

  @Test
  void kerasZipFlippedInsideStoredWeights_failsCleanlyOrReads(@TempDir Path dir) throws Exception {
    byte[] all = Files.readAllBytes(fixture("common.keras"));
    Path t = dir.resolve("t.keras");
    for (int i = 0; i < all.length; i += 53) {
      byte[] b = all.clone();
      b[i] ^= (byte) 0x5A;
      Files.write(t, b);
      try {
        Fingerprinter.create().fingerprint(t);
      } catch (FormatException e) {
        assertThat(e.getMessage()).contains(t.toString()).doesNotContain("\n");
      }
    }
  }

  @Test
  void flippedBytes_throwFormatExceptionOrReadOtherValues(@TempDir Path dir) throws Exception {
    byte[] all = Files.readAllBytes(fixture("common_model.h5"));
    Path t = dir.resolve("t.h5");
    for (int i = 0; i < all.length; i += 37) {
      byte[] b = all.clone();
      b[i] ^= (byte) 0xA5;
      Files.write(t, b);
      try {
        Fingerprinter.create().fingerprint(t);
      } catch (FormatException e) {
        assertThat(e.getMessage()).contains(t.toString());
      }
    }
  }

  @Test
  void plainHdf5_datasetsNamedByPath_sameDigestsAsNumpyAndSafetensors() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(fixture("expected_hdf5.json")));
    for (String f : List.of("plain.h5", "plain_nested.h5")) {
      Fingerprint fp = Fingerprinter.create().fingerprint(fixture(f));
      assertThat(ExpectedFingerprints.mismatches(f, fp, expected.get(f))).isEmpty();
      try (TensorModel m = FormatDetector.create().open(fixture(f))) {
        assertThat(m.metadata()).containsEntry("keras.layout", "hdf5-datasets");
      }
    }
    // The same arrays written by safetensors / np.savez: one weights and one content digest.
    Fingerprint plain = Fingerprinter.create().fingerprint(fixture("plain.h5"));
    Fingerprint st = Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors"));
    assertThat(plain.weights()).isEqualTo(st.weights());
    assertThat(plain.content()).isEqualTo(st.content());
    Fingerprint nested = Fingerprinter.create().fingerprint(fixture("plain_nested.h5"));
    Fingerprint npz = Fingerprinter.create().fingerprint(fixture("plain_nested.npz"));
    assertThat(nested.tensors()).extracting(t -> t.name()).contains("encoder/layer0/w", "mask");
    assertThat(nested.weights()).isEqualTo(npz.weights());
    assertThat(nested.content()).isEqualTo(npz.content());
  }

  @Test
  void plainHdf5_complexEnumsAndSoftLinks_asH5pyReadsThem() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(Files.readAllBytes(fixture("expected_hdf5.json")));
    for (String f : List.of("plain_types.h5", "plain_links.h5")) {
      Fingerprint fp = Fingerprinter.create().fingerprint(fixture(f));
      assertThat(ExpectedFingerprints.mismatches(f, fp, expected.get(f))).as(f).isEmpty();
    }
    Fingerprint types = Fingerprinter.create().fingerprint(fixture("plain_types.h5"));
    assertThat(types.tensors())
        .extracting(t -> t.name() + ":" + t.info().dtype())
        .contains("c8:complex64", "c16:complex128", "c16_be:complex128", "color:int16");
    // the big-endian complex array is byte-swapped per component: the digest of its twin
    assertThat(digest(types, "c16_be")).isEqualTo(digest(types, "c16"));
    try (TensorModel m = FormatDetector.create().open(fixture("plain_links.h5"))) {
      assertThat(m.tensors()).extracting(t -> t.info().name()).containsExactly("group/w");
      assertThat(m.metadata()).containsEntry("hdf5.soft_links", "2");
    }
    assertThatThrownBy(() -> FormatDetector.create().open(fixture("plain_external.h5")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("external link");
    // a dataset h5py created without data has no storage (HDF5's undefined address)
    assertThatThrownBy(() -> FormatDetector.create().open(fixture("plain_unwritten.h5")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("'never_written' has no stored data")
        .hasMessageContaining("fill value");
  }

  private static String digest(Fingerprint f, String name) {
    return f.tensors().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow()
        .digest()
        .toString();
  }

  @Test
  void plainHdf5_chunkSizesBoundedBeforeJhdfReads() throws Exception {
    // plain_nested.h5's chunked datasets are a few hundred bytes; a 64-byte limit stops them
    // before jhdf allocates anything for their chunks.
    assertThatThrownBy(
            () ->
                FormatDetector.withLimits(ReadLimits.defaults().withInMemoryTensorBytes(64))
                    .open(fixture("plain_nested.h5")))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("dataset 'encoder/layer");
  }

  @Test
  void notKeras_hdf5WithoutLayerNames_readAsPlainDatasets(@TempDir Path dir) throws Exception {
    byte[] all = Files.readAllBytes(fixture("common_weights.h5"));
    // "layer_names" renamed in place: the root attribute is gone
    String s = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = s.indexOf("layer_names");
    assertThat(at).isPositive();
    all[at] = 'X';
    Path t = dir.resolve("plain.h5");
    Files.write(t, all);
    Fingerprint f = Fingerprinter.create().fingerprint(t);
    assertThat(f.tensors()).extracting(x -> x.name()).contains("layer_f32/layer_f32/f32:0");
    assertThat(f.content())
        .isEqualTo(
            Fingerprinter.create().fingerprint(Shared.fixture("common.safetensors")).content());
  }

  @Test
  void externalAndSoftLinks_refusedNotFollowed() {
    for (String f : List.of("external_link.h5", "soft_link.h5")) {
      assertThatThrownBy(() -> FormatDetector.create().open(fixture(f)))
          .as(f)
          .isInstanceOf(UnsupportedModelException.class)
          .hasMessageContaining("is an HDF5 link (not followed)");
    }
  }

  @Test
  void chunkedDataset_overInMemoryLimit_throwsLimitExceeded() {
    ReadLimits small = ReadLimits.defaults().withInMemoryTensorBytes(16);
    assertThatThrownBy(() -> KerasH5Reader.open(fixture("common_chunked.h5"), small))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("chunked or compact");
  }

  @Test
  void kerasZip_missingWeights_throwsMalformed(@TempDir Path dir) throws Exception {
    Path z = dir.resolve("m.keras");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
      out.putNextEntry(new ZipEntry("config.json"));
      out.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertThatThrownBy(() -> KerasZipReader.open(z, ReadLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("no model.weights.h5");
  }

  @Test
  void kerasZip_weightsNotHdf5_throwsMalformed(@TempDir Path dir) throws Exception {
    Path z = dir.resolve("m.keras");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
      out.putNextEntry(new ZipEntry("config.json"));
      out.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new ZipEntry("model.weights.h5"));
      out.write(new byte[4096]);
      out.closeEntry();
    }
    assertThat(FormatDetector.create().detect(z)).isEqualTo(Format.KERAS);
    assertThatThrownBy(() -> FormatDetector.create().open(z))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("no HDF5 signature");
  }

  static void assertFingerprintFailsCleanly(Path t) {
    try {
      Fingerprinter.create().fingerprint(t);
    } catch (FormatException e) {
      assertThat(e.getMessage()).contains(t.toString()).doesNotContain("\n");
      return;
    } catch (Exception e) {
      throw new AssertionError("not a FormatException for " + t + ": " + e, e);
    }
  }
}
