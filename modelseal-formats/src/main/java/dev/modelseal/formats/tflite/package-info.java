/**
 * TFLite flatbuffer models: the weights (tensors whose buffer holds data, inside the flatbuffer or
 * after it), their quantization parameters and the model's operator codes, read by a hand-written
 * flatbuffer reader that checks every offset and length against the file size ({@code schema.fbs}'s
 * field ids are the only knowledge of the schema). Weight data is streamed from the file, never
 * copied into memory whole, except sparse weights ({@code Tensor.sparsity}), which are densified in
 * memory as TFLite's Densify operator does, within the reader's in-memory tensor limit.
 */
package dev.modelseal.formats.tflite;
