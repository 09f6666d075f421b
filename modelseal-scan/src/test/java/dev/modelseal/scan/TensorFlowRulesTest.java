package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.testing.SharedVectors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TensorFlow-family rules (Keras configurations in .h5 and .keras, SavedModel graphs, TFLite
 * operator codes, TF.js model.json) over the fixtures of {@code fixtures/tf/generate_tf_scan.py}.
 */
class TensorFlowRulesTest {
  private static ScanReport scan(String name) {
    return Fixtures.scan("tf/" + name);
  }

  private static List<String> rules(ScanReport r, Severity atLeast) {
    return r.atLeast(atLeast).stream().map(Finding::rule).distinct().toList();
  }

  @ParameterizedTest
  @CsvSource({
    "keras2_lambda.h5, keras.lambda, HIGH",
    "keras2_custom.h5, keras.custom-object, MEDIUM",
    "keras3_lambda.keras, keras.lambda, HIGH",
    "keras3_unsafe.keras, keras.unsafe-deserialization, CRITICAL",
    "keras3_module.keras, keras.module, CRITICAL",
    "keras3_registered.keras, keras.custom-object, MEDIUM",
    "savedmodel_pyfunc.pb, savedmodel.python-op, CRITICAL",
    "savedmodel_readfile.pb, savedmodel.file-op, HIGH",
    "savedmodel_custom.pb, savedmodel.unregistered-op, MEDIUM",
    "graph_readfile.pb, tfgraph.file-op, HIGH",
    "graph_pyfunc.pb, tfgraph.python-op, CRITICAL",
    "graph_eager.pb, tfgraph.python-op, CRITICAL",
    "graph_custom.pb, tfgraph.unregistered-op, MEDIUM",
    "tflite_custom.tflite, tflite.custom-op, MEDIUM",
    "tflite_flex.tflite, tflite.flex-op, HIGH",
    "tfjs_graph_pyfunc.json, tfjs.python-op, CRITICAL",
    "tfjs_layers_lambda.json, keras.lambda, HIGH",
    "keras_metadata.pb, keras.lambda, HIGH",
  })
  void eachCodePath_isFound(String file, String rule, Severity severity) {
    ScanReport r = scan(file);
    assertThat(r.findings())
        .as(file)
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo(rule);
              assertThat(f.severity()).isEqualTo(severity);
              assertThat(f.file()).endsWith(file);
              assertThat(f.message()).isNotBlank().doesNotContain("\n");
            });
  }

  @Test
  void findings_nameWhereTheCodeIs() {
    assertThat(scan("keras2_lambda.h5").findings())
        .anySatisfy(
            f ->
                assertThat(f.location())
                    .contains("attribute 'model_config'")
                    .contains("layer 'lambda'"));
    assertThat(scan("keras3_lambda.keras").findings())
        .anySatisfy(f -> assertThat(f.location()).contains("config.json").contains("'lambda'"));
    assertThat(scan("savedmodel_pyfunc.pb").findings())
        .anySatisfy(
            f -> assertThat(f.location()).contains("node 'py'").contains("__inference_call_7"));
    assertThat(scan("tflite_custom.tflite").findings())
        .anySatisfy(f -> assertThat(f.message()).contains("VendorNativeOp"));
  }

  @Test
  void textSavedModel_escapedAndConcatenatedOpNames_areDecoded() {
    ScanReport r = scan("saved_model.pbtxt");
    assertThat(r.findings())
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("savedmodel.file-op");
              assertThat(f.location()).contains("node 'read'");
              assertThat(f.message()).contains("ReadFile");
            })
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("savedmodel.python-op");
              assertThat(f.location()).contains("node 'py'").contains("__inference_f_3");
            })
        .noneSatisfy(f -> assertThat(f.rule()).isEqualTo("savedmodel.unregistered-op"));
  }

  @Test
  void textSavedModel_truncatedOrBroken_isMalformed_notClean() throws Exception {
    byte[] all = java.nio.file.Files.readAllBytes(Fixtures.of("tf/saved_model.pbtxt"));
    Path dir = java.nio.file.Files.createTempDirectory("pbtxt");
    try {
      for (int cut : new int[] {all.length / 3, all.length / 2, all.length - 3}) {
        Path p = dir.resolve("cut" + cut + ".pbtxt");
        java.nio.file.Files.write(p, java.util.Arrays.copyOf(all, cut));
        ScanReport r = ModelScanner.create().scan(p);
        assertThat(r.worst())
            .as("cut at " + cut)
            .hasValueSatisfying(w -> assertThat(w.atLeast(Severity.MEDIUM)).isTrue());
      }
    } finally {
      try (var s = java.nio.file.Files.list(dir)) {
        for (Path p : s.toList()) {
          java.nio.file.Files.delete(p);
        }
      }
      java.nio.file.Files.delete(dir);
    }
  }

  @Test
  void frozenGraph_truncated_isMalformed_notClean() throws Exception {
    byte[] all = java.nio.file.Files.readAllBytes(Fixtures.of("tf/graph_readfile.pb"));
    Path cut = java.nio.file.Files.createTempFile("graph", ".pb");
    try {
      java.nio.file.Files.write(cut, java.util.Arrays.copyOf(all, all.length - 7));
      assertThat(rules(ModelScanner.create().scan(cut), Severity.MEDIUM))
          .contains("tfgraph.malformed");
    } finally {
      java.nio.file.Files.delete(cut);
    }
  }

  @Test
  void cleanFiles_haveNothingAboveInfo() {
    for (String f :
        List.of("keras2_clean.h5", "keras3_clean.keras", "tflite_clean.tflite", "graph_clean.pb")) {
      assertThat(rules(scan(f), Severity.LOW)).as(f).isEmpty();
    }
  }

  @Test
  void realSavedModels_onlyTheirCheckpointOps_asInfo() {
    Path real = SharedVectors.resolve("vectors/real/tf-savedmodel");
    ScanReport r = ModelScanner.create().scan(real);
    assertThat(r.atLeast(Severity.LOW)).isEmpty();
    assertThat(r.findings())
        .anySatisfy(f -> assertThat(f.rule()).isEqualTo("savedmodel.checkpoint-io"));
  }

  @Test
  void realKerasFile_isInspected_andClean() {
    Path real = SharedVectors.resolve("vectors/real/keras-flownet/final_model.keras");
    ScanReport r = ModelScanner.create().scan(real);
    assertThat(r.atLeast(Severity.LOW)).isEmpty();
  }
}
