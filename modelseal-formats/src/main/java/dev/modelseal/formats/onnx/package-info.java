/**
 * ONNX models: the initializers, sparse initializers and {@code Constant} node values of a {@code
 * ModelProto} and of its subgraphs, read by a hand-written protobuf wire-format reader that knows
 * only the fields it needs ({@code onnx.proto}'s field numbers), checks every length against the
 * enclosing message before use, and never copies {@code raw_data}: it is streamed from the file.
 * External data is confined to the model's directory.
 */
package dev.modelseal.formats.onnx;
