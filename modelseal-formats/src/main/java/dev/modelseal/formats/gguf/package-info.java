/**
 * GGUF v2/v3 reader (llama.cpp's format): key/value metadata, tensor infos and tensor data.
 *
 * <p>Dimensions are reversed to NumPy order (outermost first). Quantized tensors are opaque block
 * dtypes {@code gguf.<TYPE>}. Metadata, including {@code tokenizer.chat_template} (a Jinja template
 * some servers run), is exposed as data only and is outside every fingerprint.
 */
package dev.modelseal.formats.gguf;
