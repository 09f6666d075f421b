/**
 * TensorFlow.js model reader: {@code model.json} (layers-model or graph-model) and the weight shard
 * files its {@code weightsManifest} lists. Quantized weights are fingerprinted as the tensors the
 * TF.js runtime decodes them to ({@code tf.io.decodeWeights}); their stored form is exposed as
 * metadata. The model topology is never interpreted.
 */
package dev.modelseal.formats.tfjs;
