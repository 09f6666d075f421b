package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bypass of the threat catalogue, as written by the real writers (fixtures/generate_scan.py):
 * the scanner reports the expected rule at the expected severity and location.
 */
class BypassCorpusTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // os.system at every protocol; 0 and 1 have no PROTO header
        "system_p0.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset | posix.system",
        "system_p1.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset | posix.system",
        "system_p2.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset | posix.system",
        "system_p3.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset | posix.system",
        "system_p4.pkl | pickle.dangerous-import | CRITICAL | STACK_GLOBAL at offset 47 | posix.system",
        "system_p5.pkl | pickle.dangerous-import | CRITICAL | STACK_GLOBAL at offset 47 | posix.system",
        "eval_p2.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset 2 | __builtin__.eval",
        "getattr_p2.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset 2 | __builtin__.getattr",
        // resolvers other scanners rate only "suspicious"
        "import_module_p4.pkl | pickle.dangerous-import | CRITICAL | STACK_GLOBAL | importlib.import_module",
        "pydoc_locate_p4.pkl | pickle.dangerous-import | CRITICAL | STACK_GLOBAL | pydoc.locate",
        // an unlisted gadget: only an allowlist catches it
        "unlisted_p4.pkl | pickle.unknown-import | HIGH | STACK_GLOBAL at offset 24 | bz2.open",
        // builtins reached as an attribute path of an allowed module
        "attr_of_allowed.pkl | pickle.dangerous-import | CRITICAL | STACK_GLOBAL at offset 34 | torch.serialization.os.system",
        // STACK_GLOBAL operands fetched from the memo with BINGET
        "stack_global_memo.pkl | pickle.dangerous-import | CRITICAL | STACK_GLOBAL at offset 20 | os.system",
        // renamed extensions: routed by content
        "system_renamed.safetensors | pickle.dangerous-import | CRITICAL | STACK_GLOBAL | posix.system",
        "system_renamed.bin | pickle.dangerous-import | CRITICAL | GLOBAL | posix.system",
        // payload before a broken opcode, stacked pickles after STOP
        "payload_then_broken.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset 2 | posix.system",
        "payload_then_broken.pkl | pickle.malformed | MEDIUM | pickle 1, offset 54 | unknown opcode 0xff",
        "stacked.pkl | pickle.dangerous-import | CRITICAL | GLOBAL at offset 16 | posix.system",
        // torch.save zip, a pickle in a member without a pickle name, nested archives
        "torch_system.pt | pickle.dangerous-import | CRITICAL | member 'archive/data.pkl', GLOBAL | posix.system",
        "zip_member_no_ext.zip | pickle.dangerous-import | CRITICAL | member 'model/weights' | posix.system",
        "nested.zip | pickle.dangerous-import | CRITICAL | member 'inner/model.pt', member 'archive/data.pkl' | posix.system",
        // legacy torch.save: payload in the object pickle, and in the 2nd of the 5 pickles
        "torch_legacy_system.pt | pickle.dangerous-import | CRITICAL | GLOBAL | posix.system",
        "torch_legacy_second.pt | pickle.dangerous-import | CRITICAL | GLOBAL at offset 17 | posix.system",
        // NumPy object arrays, alone and in an .npz
        "object_system.npy | pickle.dangerous-import | CRITICAL | GLOBAL at offset 278 | posix.system",
        "object_system.npz | pickle.dangerous-import | CRITICAL | member 'o.npy', GLOBAL | posix.system",
        // joblib-style: pickle followed by array bytes; compressed pickles
        "joblib_style.joblib | pickle.dangerous-import | CRITICAL | STACK_GLOBAL | posix.system",
        "system_p4.pkl.gz | pickle.dangerous-import | CRITICAL | gzip stream, STACK_GLOBAL | posix.system",
        "system_p4.bz2 | pickle.dangerous-import | CRITICAL | bzip2 stream, STACK_GLOBAL | posix.system",
        "system_p4.xz | pickle.dangerous-import | CRITICAL | xz stream, STACK_GLOBAL | posix.system",
        // containers this scanner does not open: fail closed
        "archive.7z | container.unsupported | MEDIUM | | 7z archive",
        "archive.tar | container.unsupported | MEDIUM | | tar archive",
        // safetensors polyglot and duplicate keys
        "polyglot.safetensors | safetensors.trailing-bytes | HIGH | offset 72 | 55 bytes",
        "polyglot.safetensors | pickle.dangerous-import | CRITICAL | trailing bytes at offset 72 | posix.system",
        "duplicate_keys.safetensors | safetensors.duplicate-key | HIGH | tensor 'a' | twice",
        // GGUF chat template reaching Python internals
        "chat_template_ssti.gguf | gguf.template-injection | HIGH | metadata 'tokenizer.chat_template' | __subclasses__",
        // ONNX external data escaping the directory, custom operator domain
        "external_escape.onnx | onnx.external-data-escape | HIGH | tensor 'w' | ../../etc/passwd",
        "custom_domain.onnx | onnx.custom-domain | MEDIUM | (Evil) | native custom-operator library",
        "custom_domain.onnx | onnx.custom-domain | MEDIUM | (Evil) | com.example.native",
      })
  void bypass_isReported(
      String fixture, String rule, Severity severity, String location, String text) {
    ScanReport r = Fixtures.scan(fixture);
    String loc = location == null ? "" : location;
    List<Finding> hits =
        r.findings().stream()
            .filter(f -> f.rule().equals(rule))
            .filter(f -> f.location().contains(loc))
            .filter(f -> f.message().contains(text))
            .toList();
    assertThat(hits).as(r.findings().toString()).isNotEmpty();
    assertThat(hits.get(0).severity()).isEqualTo(severity);
    assertThat(r.complete()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "torch_clean.pt, INFO",
    "torch_legacy_clean.pt, INFO",
    "object_benign.npy, INFO",
    "chat_template_plain.gguf, INFO",
    "memo_bomb.pkl, INFO",
    "numpy_p5.pkl, INFO"
  })
  void benign_hasNothingAboveInfo(String fixture, Severity worst) {
    ScanReport r = Fixtures.scan(fixture);
    assertThat(r.atLeast(Severity.LOW)).isEmpty();
    assertThat(r.worst().orElse(Severity.INFO)).isLessThanOrEqualTo(worst);
    assertThat(r.complete()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void torchClean_listsItsSafeImports() {
    ScanReport r = Fixtures.scan("torch_clean.pt");
    assertThat(r.imports())
        .extracting(PickleImport::qualifiedName)
        .contains(
            "torch._utils._rebuild_tensor_v2", "collections.OrderedDict", "torch.FloatStorage");
    assertThat(r.imports()).allMatch(i -> i.rating() == ImportRating.SAFE);
    assertThat(r.imports().get(0).location())
        .startsWith("member 'archive/data.pkl', GLOBAL at offset");
  }
}
