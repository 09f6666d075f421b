/**
 * The built-in {@link dev.modelseal.scan.FormatRule}s (listed as services in META-INF/services, in
 * the order they are tried): pickles (raw, stacked, joblib-style, legacy PyTorch), zip archives
 * (PyTorch, TorchScript, .npz, nested), compressed streams, NumPy object arrays, GGUF chat
 * templates, safetensors headers and trailing bytes, ONNX external data, operator domains and
 * operators, Keras configurations, SavedModel graphs (binary and text), TFLite operator codes,
 * TF.js model.json, TorchScript source, Jinja chat templates (GGUF, tokenizer configurations,
 * template files), unsupported containers, and data files of TensorFlow layouts (tensor bundle
 * tables, fingerprints). Built-in names come from generated lists in the jar ({@code tf-ops.txt},
 * {@code tfjs-ops.txt}, {@code keras-objects.txt}, {@code onnx-ops.txt}, {@code
 * torch-nn-modules.txt}, read by {@link dev.modelseal.scan.NameList}; generators in {@code
 * modelseal-scan/tools}).
 */
package dev.modelseal.scan.rules;
