package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12's rule-level cases over files written by the real libraries ({@code
 * fixtures/real/generate_real.py}: Keras, TensorFlow, torch, onnx, numpy, transformers, gguf-py):
 * benign standard files give nothing at medium or above, and each construct that runs code or
 * touches files on load is found at its rating.
 */
class RealLibraryFixturesTest {
  private static ScanReport scan(String name) {
    return Fixtures.scan("real/" + name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "keras2_builtins.h5",
        "keras3_builtins.h5",
        "keras3_custom_loss.keras",
        "onnx_declared_domain.onnx",
        "pickle_values.pkl",
        "torchscript_clean.pt",
        "torchscript_traced.pt",
        "savedmodel_noversion",
        "savedmodel_print_stderr",
        "tfjs_graph_fused.json",
        "tflite_runtime_custom.tflite",
        "onnx_external",
        "tokenizer_llama4",
        "tokenizer_smolvlm",
        "gguf_llama4_template.gguf"
      })
  void benignStandardFiles_haveNothingAtMediumOrAbove(String name) {
    ScanReport r = scan(name);
    assertThat(r.atLeast(Severity.MEDIUM)).as(name).isEmpty();
    assertThat(r.complete()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "keras3_vocab_file.keras, keras.vocabulary-file, HIGH, /etc/passwd",
    "keras3_custom_loss.keras, keras.custom-object, LOW, load_model(compile=False)",
    "keras3_custom_activation.keras, keras.custom-object, MEDIUM, doubled_relu",
    "keras3_builtin_eval.keras, keras.module, CRITICAL, builtins.eval",
    "npy_escaped_x.npy, pickle.dangerous-import, CRITICAL, posix.system",
    "npy_escaped_u.npy, pickle.dangerous-import, CRITICAL, posix.system",
    "torchscript_from_file.pt, torchscript.file-access, HIGH, torch.from_file",
    "onnx_custom_node.onnx, onnx.custom-domain, MEDIUM, com.example",
    "savedmodel_random, scan.unknown-format, MEDIUM, model layout",
    "savedmodel_print_file, savedmodel.file-op, HIGH, file:///tmp/modelseal-print.txt",
    "savedmodel_reordered, savedmodel.python-op, CRITICAL, PyFunc",
    "tokenizer_ssti, jinja.template-injection, HIGH, __globals__",
    "tokenizer_ssti_config, json.template-injection, HIGH, __class__",
    "gguf_ssti_escape.gguf, gguf.template-injection, HIGH, __class__",
    "gguf_ssti_concat.gguf, gguf.template-injection, HIGH, __init__",
    "gguf_ssti_set.gguf, gguf.template-injection, HIGH, __globals__",
    "gguf_ssti_join.gguf, gguf.template-injection, HIGH, __class__",
  })
  void eachConstruct_isFoundAtItsRating(String name, String rule, Severity s, String text) {
    ScanReport r = scan(name);
    assertThat(r.findings())
        .as(name)
        .anySatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo(rule);
              assertThat(f.severity()).isEqualTo(s);
              assertThat(f.message()).contains(text).doesNotContain("\n");
            });
  }

  @Test
  void declaredButUnusedOnnxDomain_isLowWithTheReason() {
    assertThat(scan("onnx_declared_domain.onnx").findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo("onnx.custom-domain");
              assertThat(f.severity()).isEqualTo(Severity.LOW);
              assertThat(f.message()).contains("which no node uses");
            });
  }

  @Test
  void onnxExternalDataFile_isDataOfTheModel() {
    ScanReport r = scan("onnx_external");
    assertThat(r.findings()).isEmpty();
    assertThat(r.skipped())
        .anySatisfy(
            x -> {
              assertThat(x.file()).endsWith("a_weights.bin");
              assertThat(x.reason()).contains("external tensor data").contains("model.onnx");
            });
  }

  @Test
  void runtimeShippedTfliteCustomOps_areLowWithTheReason() {
    assertThat(scan("tflite_runtime_custom.tflite").findings())
        .hasSize(2)
        .allSatisfy(
            f -> {
              assertThat(f.rule()).isEqualTo("tflite.custom-op");
              assertThat(f.severity()).isEqualTo(Severity.LOW);
              assertThat(f.message()).contains("already installed");
            });
  }

  @Test
  void savedModelWithoutSchemaVersion_isScannedAsAGraph() {
    ScanReport r = scan("savedmodel_noversion");
    assertThat(r.findings()).anyMatch(f -> f.rule().equals("savedmodel.checkpoint-io"));
    assertThat(r.skipped())
        .extracting(Skipped::reason)
        .anyMatch(x -> x.contains("tensor bundle index"))
        .anyMatch(x -> x.contains("fingerprint"))
        .noneMatch(x -> x.contains("no rules for"));
  }

  @Test
  void randomSavedModelGraph_isNeverASkip() {
    ScanReport r = scan("savedmodel_random");
    assertThat(r.findings())
        .anySatisfy(f -> assertThat(f.file()).endsWith("saved_model.pb"))
        .allMatch(f -> f.severity().compareTo(Severity.MEDIUM) <= 0);
    assertThat(r.skipped()).noneMatch(x -> x.file().endsWith("saved_model.pb"));
  }

  @Test
  void torchScriptCode_isInspectedNotSkippedAsText() {
    ScanReport r = scan("torchscript_traced.pt");
    assertThat(r.skipped()).noneMatch(x -> x.location().contains("/code/"));
  }

  @Test
  void benignPickleValueTypes_areSafe() {
    List<String> safe =
        scan("pickle_values.pkl").imports().stream()
            .filter(i -> i.rating() == ImportRating.SAFE)
            .map(PickleImport::qualifiedName)
            .toList();
    assertThat(safe)
        .contains(
            "collections.Counter",
            "collections.deque",
            "collections.OrderedDict",
            "decimal.Decimal",
            "_io.BytesIO");
  }
}
