package dev.modelseal.formats.pytorch;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.pickle.PyGlobal;
import java.util.Map;
import java.util.Set;

/**
 * The globals a PyTorch weights pickle may name, as torch's {@code weights_only} unpickler accepts
 * them: tensor rebuilders, storage types, containers. Anything else is refused by {@link
 * TorchResolver} with its name.
 */
public final class TorchGlobals {
  private TorchGlobals() {}

  /** Storage type name (module {@code torch}) to element dtype. */
  static final Map<String, DType> STORAGES =
      Map.ofEntries(
          Map.entry("FloatStorage", DType.FLOAT32),
          Map.entry("DoubleStorage", DType.FLOAT64),
          Map.entry("HalfStorage", DType.FLOAT16),
          Map.entry("BFloat16Storage", DType.BFLOAT16),
          Map.entry("LongStorage", DType.INT64),
          Map.entry("IntStorage", DType.INT32),
          Map.entry("ShortStorage", DType.INT16),
          Map.entry("CharStorage", DType.INT8),
          Map.entry("ByteStorage", DType.UINT8),
          Map.entry("BoolStorage", DType.BOOL),
          Map.entry("ComplexFloatStorage", DType.COMPLEX64),
          Map.entry("ComplexDoubleStorage", DType.COMPLEX128),
          Map.entry("Float8_e5m2Storage", DType.FLOAT8_E5M2),
          Map.entry("Float8_e4m3fnStorage", DType.FLOAT8_E4M3FN),
          Map.entry("Float8_e5m2fnuzStorage", DType.FLOAT8_E5M2FNUZ),
          Map.entry("Float8_e4m3fnuzStorage", DType.FLOAT8_E4M3FNUZ),
          Map.entry("UInt16Storage", DType.UINT16),
          Map.entry("UInt32Storage", DType.UINT32),
          Map.entry("UInt64Storage", DType.UINT64));

  /** Calls that return an inert value that is no tensor (ignored by the name walk). */
  static final Set<String> INERT_CALLS =
      Set.of(
          "torch.device",
          "builtins.set",
          "builtins.frozenset",
          "builtins.slice",
          "builtins.bytearray",
          "builtins.complex",
          "__builtin__.set",
          "__builtin__.frozenset",
          "__builtin__.slice",
          "_codecs.encode",
          "numpy.dtype",
          "numpy.core.multiarray.scalar",
          "numpy._core.multiarray.scalar",
          "numpy.core.multiarray._reconstruct",
          "numpy._core.multiarray._reconstruct");

  /** The dtype of storage type {@code g} ({@code torch.FloatStorage}...), or null. */
  static DType storageDType(PyGlobal g) {
    if (!g.module().equals("torch") && !g.module().equals("torch.cuda")) {
      return null;
    }
    return STORAGES.get(g.name());
  }

  /** True for the classes of TorchScript modules ({@code __torch__.*}), built inertly. */
  static boolean isScriptClass(PyGlobal g) {
    return g.module().equals("__torch__") || g.module().startsWith("__torch__.");
  }
}
