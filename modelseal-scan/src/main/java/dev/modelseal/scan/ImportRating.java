package dev.modelseal.scan;

/**
 * How a global imported by a pickle is rated: {@link #SAFE} when it is on the allowlist of tensor
 * and container builders, {@link #DANGEROUS} when it is a known way to run commands, code or I/O,
 * {@link #NATIVE} for a class whose objects PyTorch rebuilds through native code it already
 * carries, {@link #TORCH_MODULE} for one of PyTorch's own {@code torch.nn} module classes, {@link
 * #UNKNOWN} otherwise (allowlist first: unknown is reported, never assumed harmless).
 */
public enum ImportRating {
  /** On the allowlist: builds tensors, storages, dtypes or containers. */
  SAFE,
  /**
   * {@code torch._C.ScriptObject}: an object of a TorchScript custom class (quantized packed
   * parameters, say), rebuilt by that class's {@code __setstate__}, native code registered by
   * PyTorch or by a library the application loaded; no Python is looked up. Its effect cannot be
   * told from the file: reported at low. {@code torch.load(weights_only=True)} refuses it.
   */
  NATIVE,
  /**
   * One of PyTorch's own {@code torch.nn.Module} classes ({@code rules/torch-nn-modules.txt},
   * generated from torch): a whole module saved with {@code torch.save(model)}, rebuilt from its
   * attributes by PyTorch's code; no code of the file's own. {@code torch.load} loads such a file
   * only with {@code weights_only=False}, which lets every other global of the file run too, and
   * each of those is rated on its own: reported at low.
   */
  TORCH_MODULE,
  /** Neither allowed nor known to be dangerous; loading it runs code nobody reviewed. */
  UNKNOWN,
  /** A known way to run commands, code, imports or I/O. */
  DANGEROUS
}
