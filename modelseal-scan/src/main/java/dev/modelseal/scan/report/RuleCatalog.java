package dev.modelseal.scan.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** One-line descriptions of the built-in rule ids, for SARIF rule metadata and documentation. */
public final class RuleCatalog {
  private static final Map<String, String> RULES = new LinkedHashMap<>();

  static {
    RULES.put("pickle.dangerous-import", "A pickle imports a known way to run code or commands.");
    RULES.put("pickle.unknown-import", "A pickle imports a global outside the allowlist.");
    RULES.put(
        "pickle.joblib-file",
        "A joblib < 0.10 pickle makes joblib.load read another file (its array wrapper).");
    RULES.put("pickle.unnamed-import", "A pickle imports a global that cannot be named.");
    RULES.put("pickle.malformed", "A pickle breaks off; loaders run what comes before the break.");
    RULES.put("pickle.limit", "A pickle exceeds a scan limit and was not fully scanned.");
    RULES.put(
        "pickle.frame-split",
        "An opcode argument crosses a FRAME end; file and in-memory loaders read different opcodes.");
    RULES.put("pickle.stacked", "Several pickles follow one another.");
    RULES.put("npy.object-array", "A NumPy object array, stored as a pickle.");
    RULES.put("npy.malformed", "A .npy header cannot be read.");
    RULES.put("zip.malformed", "A zip archive cannot be read; its members were not scanned.");
    RULES.put("zip.duplicate-member", "A zip archive names a member twice.");
    RULES.put("container.unsupported", "An archive format the scanner does not open.");
    RULES.put("safetensors.trailing-bytes", "Bytes after the safetensors buffer (polyglot).");
    RULES.put("safetensors.duplicate-key", "A safetensors header names a key twice.");
    RULES.put("safetensors.header-limit", "A safetensors header over the reference limit.");
    RULES.put("safetensors.malformed", "A safetensors header cannot be read.");
    RULES.put("flax.malformed", "A flax msgpack checkpoint that is not one msgpack value.");
    RULES.put("flax.limit", "A flax msgpack checkpoint past a reader limit; not walked whole.");
    RULES.put("flax.unsupported", "A flax msgpack value modelseal cannot read (still data).");
    RULES.put("ocdbt.malformed", "A tensorstore OCDBT file whose length or CRC-32C is wrong.");
    RULES.put("gguf.chat-template", "A GGUF chat template, rendered by the inference server.");
    RULES.put("gguf.template-injection", "A GGUF chat template reaches Python objects or files.");
    RULES.put("gguf.malformed", "A GGUF file the reader refuses.");
    RULES.put("onnx.external-data-escape", "ONNX external data outside the model directory.");
    RULES.put("onnx.custom-domain", "An ONNX operator domain needing a native custom-op library.");
    RULES.put("onnx.unknown-op", "An ONNX node whose operator is not in the ONNX schemas.");
    RULES.put("onnx.malformed", "An ONNX model that cannot be walked.");
    RULES.put(
        "sentencepiece.malformed",
        "A SentencePiece tokenizer model with fields or bytes a tokenizer does not have.");
    RULES.put(
        "keras.lambda", "A Keras Lambda layer: Python code that runs when the model is built.");
    RULES.put("keras.unsafe-deserialization", "A Keras config that turns safe mode off.");
    RULES.put("keras.module", "A Keras config imports a module outside Keras.");
    RULES.put("keras.tf-op", "A Keras TF-op lambda calls the TensorFlow function it names.");
    RULES.put("keras.custom-object", "A Keras custom object whose code lives outside the file.");
    RULES.put("keras.vocabulary-file", "A Keras lookup layer reads a vocabulary file or URL.");
    RULES.put("keras.malformed", "A Keras file or configuration that cannot be read.");
    RULES.put("savedmodel.python-op", "A TensorFlow graph op that runs Python (PyFunc).");
    RULES.put("savedmodel.file-op", "A TensorFlow graph op that reads or writes files.");
    RULES.put("savedmodel.unregistered-op", "A TensorFlow op outside TensorFlow's registry.");
    RULES.put("savedmodel.checkpoint-io", "The checkpoint save/restore ops of a SavedModel.");
    RULES.put("savedmodel.malformed", "A saved_model.pb that cannot be walked.");
    RULES.put("tfgraph.python-op", "A frozen TensorFlow graph op that runs Python (PyFunc).");
    RULES.put("tfgraph.file-op", "A frozen TensorFlow graph op that reads or writes files.");
    RULES.put("tfgraph.unregistered-op", "A frozen graph op outside TensorFlow's registry.");
    RULES.put("tfgraph.checkpoint-io", "The checkpoint save/restore ops of a frozen graph.");
    RULES.put("tfgraph.malformed", "A GraphDef file that cannot be walked.");
    RULES.put("pickle.native-class", "A TorchScript custom-class object rebuilt natively.");
    RULES.put("pickle.torch-module", "One of PyTorch's own torch.nn module classes.");
    RULES.put("torch-package.source", "Python modules a torch.package archive carries and runs.");
    RULES.put("tflite.custom-op", "A TFLite custom operator: native code the app provides.");
    RULES.put("tflite.flex-op", "A TFLite Flex op: a TensorFlow kernel run by the delegate.");
    RULES.put("tflite.malformed", "A TFLite flatbuffer the reader refuses.");
    RULES.put("tfjs.python-op", "A TF.js graph-model op that runs Python.");
    RULES.put("tfjs.file-op", "A TF.js graph-model op that reads or writes files.");
    RULES.put("tfjs.unregistered-op", "A TF.js graph-model op outside TF.js's op set.");
    RULES.put("torchscript.file-access", "TorchScript code that touches files, network or code.");
    RULES.put("torchscript.custom-op", "TorchScript code calling a custom operator or class.");
    RULES.put("torchscript.malformed", "TorchScript source that cannot be read.");
    RULES.put("json.chat-template", "A chat template in a tokenizer configuration.");
    RULES.put("json.template-injection", "A tokenizer chat template reaches Python objects.");
    RULES.put("jinja.chat-template", "A Jinja chat template file.");
    RULES.put("jinja.template-injection", "A Jinja template reaches Python objects or files.");
    RULES.put("jinja.malformed", "A Jinja template that cannot be read.");
    RULES.put("json.malformed", "Content that starts like JSON but cannot be parsed.");
    RULES.put(
        "load.remote-code",
        "A config makes its loader run the model's own Python code (auto_map, diffusers custom"
            + " components, trust_remote_code).");
    RULES.put("load.base-model", "A config makes its loader fetch another model (a base model).");
    RULES.put("scan.unknown-format", "Content of no format the scanner reads (fail closed).");
    RULES.put("scan.unreadable", "Content that cannot be read to its end.");
    RULES.put("scan.limit", "Content over a scan limit (decompression or nesting bomb).");
    RULES.put("scan.too-deep", "Content nested deeper than the scan limit.");
    RULES.put("scan.internal-error", "A rule failed on this content.");
  }

  private RuleCatalog() {}

  /** The description of {@code rule}, or a generic one for rules added by callers. */
  public static String describe(String rule) {
    return RULES.getOrDefault(rule, "Finding of rule " + rule + ".");
  }

  /** Every built-in rule id with its description, in documentation order. */
  public static Map<String, String> all() {
    return Map.copyOf(RULES);
  }
}
