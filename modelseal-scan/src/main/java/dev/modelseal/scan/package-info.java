/**
 * The model scanner: {@link dev.modelseal.scan.ModelScanner} finds the code a model file would run
 * when loaded (pickle imports, NumPy object arrays, GGUF chat templates reaching Python internals,
 * ONNX custom domains and escaping external data, safetensors polyglots) and reports {@link
 * dev.modelseal.scan.Finding}s with a rule id, {@link dev.modelseal.scan.Severity}, file, location
 * and message. Content is routed by its bytes, never by file name; what cannot be read or is not
 * recognised is reported (fail closed). Formats are added as one {@link
 * dev.modelseal.scan.FormatRule} class each.
 */
package dev.modelseal.scan;
