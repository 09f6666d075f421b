/**
 * ONNX Runtime sessions created only from a {@link dev.modelseal.pin.VerifiedModel}: the bytes the
 * session is built from are the bytes that were verified, external-data files included.
 */
package dev.modelseal.onnxruntime;
