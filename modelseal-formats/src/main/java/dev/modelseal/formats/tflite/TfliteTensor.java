package dev.modelseal.formats.tflite;

import dev.modelseal.formats.TensorInfo;

/**
 * A weight of a TFLite model: a tensor whose buffer holds data, inside the flatbuffer or after it
 * ({@code Buffer.offset}/{@code size} in large models).
 *
 * @param info the canonical description; its name is {@code <subgraph index>/<tensor name>}
 * @param subgraph the subgraph index
 * @param tensorName the tensor's name in the subgraph
 * @param tensorType the stored TensorType number
 * @param buffer the buffer index
 * @param external true when the data is stored after the flatbuffer
 * @param dataOffset the file offset of the data
 * @param quantization the quantization parameters, or null when none are stored
 */
public record TfliteTensor(
    TensorInfo info,
    int subgraph,
    String tensorName,
    int tensorType,
    long buffer,
    boolean external,
    long dataOffset,
    TfliteQuantization quantization) {}
