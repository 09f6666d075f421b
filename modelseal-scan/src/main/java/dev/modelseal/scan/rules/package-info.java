/**
 * The built-in {@link dev.modelseal.scan.FormatRule}s (listed as services in META-INF/services, in
 * the order they are tried): pickles (raw, stacked, joblib-style, legacy PyTorch), zip archives
 * (PyTorch, TorchScript, .npz, nested), compressed streams, NumPy object arrays, GGUF chat
 * templates, safetensors headers and trailing bytes, ONNX external data and operator domains,
 * unsupported containers, and recognised-but-uninspected formats.
 */
package dev.modelseal.scan.rules;
