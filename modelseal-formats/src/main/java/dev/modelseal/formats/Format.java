package dev.modelseal.formats;

/** The formats {@link FormatDetector} recognises, by content. */
public enum Format {
  /** A single safetensors file. */
  SAFETENSORS("safetensors"),
  /** A directory (or index file) with {@code model.safetensors.index.json} and its shards. */
  SAFETENSORS_SHARDED("safetensors-sharded"),
  /** GGUF v2 or v3. */
  GGUF("gguf"),
  /** The NumPy arrays of a {@code joblib.dump} file (an estimator's coefficients, for example). */
  JOBLIB("joblib"),
  /** A NumPy {@code .npy} array. */
  NPY("npy"),
  /** A zip of NumPy arrays, as {@code np.savez} writes. */
  NPZ("npz"),
  /** A {@code torch.save} zip archive. */
  PYTORCH("pytorch"),
  /** The legacy {@code torch.save} format (before PyTorch 1.6). */
  PYTORCH_LEGACY("pytorch-legacy"),
  /** A TorchScript archive ({@code torch.jit.save}): its parameters and buffers. */
  TORCHSCRIPT("torchscript"),
  /** An ONNX {@code ModelProto}, with its external data files. */
  ONNX("onnx"),
  /**
   * An HDF5 file: a Keras 2 full model or weights file, a Keras 3 {@code .weights.h5}, or plain
   * HDF5 datasets.
   */
  KERAS_H5("keras-h5"),
  /** A Keras 3 {@code .keras} zip ({@code config.json}, {@code model.weights.h5}). */
  KERAS("keras"),
  /** A TensorFlow.js {@code model.json} with its weight shard files. */
  TFJS("tfjs"),
  /** A TensorFlow SavedModel directory (or a checkpoint's {@code .index} file): its variables. */
  SAVEDMODEL("savedmodel"),
  /** A TFLite flatbuffer model ({@code TFL3}). */
  TFLITE("tflite"),
  /** A JAX/Flax msgpack checkpoint ({@code flax.serialization.to_bytes}). */
  FLAX("flax"),
  /** An Orbax checkpoint directory (the OCDBT store or array directories; zarr v2 or v3). */
  ORBAX("orbax");

  private final String label;

  Format(String label) {
    this.label = label;
  }

  /** A short lowercase name for output. */
  public String label() {
    return label;
  }
}
