package dev.modelseal.formats.pytorch;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.pickle.PyGlobal;
import java.util.Map;
import java.util.Set;

/**
 * The globals a PyTorch weights pickle may name, as torch's {@code weights_only} unpickler accepts
 * them: tensor rebuilders, storage types, containers. Anything else is refused by the readers with
 * its name, never imported or called.
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

  /** Callables {@link TorchResolver} interprets (tensor rebuilders, containers, TorchScript). */
  static final Set<String> REBUILDERS =
      Set.of(
          "torch._utils._rebuild_tensor_v2",
          "torch._utils._rebuild_tensor",
          "torch._utils._rebuild_parameter",
          "torch._utils._rebuild_parameter_with_state",
          "torch._tensor._rebuild_from_type_v2",
          "collections.OrderedDict",
          "torch.Size",
          "torch.jit._pickle.build_intlist",
          "torch.jit._pickle.build_floatlist",
          "torch.jit._pickle.build_boollist",
          "torch.jit._pickle.build_doublelist",
          "torch.jit._pickle.build_tensorlist",
          "torch.jit._pickle.restore_type_tag");

  /** Globals that may appear as plain values (types and dtypes passed as arguments). */
  static final Set<String> VALUES =
      Set.of(
          "torch.Tensor",
          "torch.nn.parameter.Parameter",
          "torch.float32",
          "torch.float64",
          "torch.float16",
          "torch.bfloat16",
          "torch.int64",
          "torch.int32",
          "torch.int16",
          "torch.int8",
          "torch.uint8",
          "torch.bool",
          "torch.complex64",
          "torch.complex128");

  /**
   * True when the PyTorch weights readers accept {@code g}: a storage type, a tensor rebuilder, a
   * container, a dtype, an inert value builder, or a TorchScript module class. The readers accept
   * these only in the roles they expect (for example a TorchScript class only through {@code
   * NEWOBJ} without arguments); everything else is refused. For a scanner: every other global is a
   * finding.
   */
  public static boolean accepted(PyGlobal g) {
    String n = g.toString();
    return storageDType(g) != null
        || REBUILDERS.contains(n)
        || INERT_CALLS.contains(n)
        || VALUES.contains(n)
        || isScriptClass(g);
  }

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
