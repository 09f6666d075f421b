/**
 * A format-independent view of the tensors in a model file: {@link
 * dev.modelseal.formats.TensorInfo} (name, canonical {@link dev.modelseal.formats.DType}, shape,
 * byte length), {@link dev.modelseal.formats.TensorSource} streaming a tensor's canonical bytes,
 * {@link dev.modelseal.formats.FormatDetector} choosing a reader by content, and the {@link
 * dev.modelseal.formats.FormatException} family.
 *
 * <p>Readers never execute or deserialize anything from a file into live objects; every length read
 * from a file is checked against the file size and {@link dev.modelseal.formats.ReadLimits} before
 * allocating; tensor data is streamed in bounded chunks.
 */
package dev.modelseal.formats;
