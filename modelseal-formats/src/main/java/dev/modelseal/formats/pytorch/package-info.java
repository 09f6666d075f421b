/**
 * PyTorch readers: the {@code torch.save} zip format (any archive prefix, torch 2.2+ layout,
 * little- or big-endian), the legacy pre-1.6 format, and the parameters and buffers of TorchScript
 * archives.
 *
 * <p>Pickles are interpreted by the non-executing {@link
 * dev.modelseal.formats.pickle.PickleMachine} with a resolver that accepts only the globals that
 * build tensors and containers ({@link dev.modelseal.formats.pytorch.TorchGlobals}); any other call
 * is refused with its name, never made. Tensors are views of storages (offset, size, stride) and
 * are materialised row-major; TorchScript {@code code/} is never read.
 */
package dev.modelseal.formats.pytorch;
