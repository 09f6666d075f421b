package dev.modelseal.scan.pickle;

import dev.modelseal.scan.ImportRating;
import dev.modelseal.scan.NameList;
import java.util.Set;

/**
 * Rates a pickle global allowlist first. {@link ImportRating#SAFE}: the tensor, storage, dtype and
 * container builders that {@code torch.load(weights_only=True)} and NumPy object arrays of plain
 * values need. {@link ImportRating#DANGEROUS}: known ways to run commands, code, imports or I/O
 * (modules such as {@code os}, {@code subprocess}, {@code importlib}, {@code pydoc}; callables such
 * as {@code builtins.eval}, {@code operator.attrgetter}, {@code torch.load}), including when
 * reached as an attribute path through an allowed module ({@code torch.serialization.os.system}).
 * Every other global is {@link ImportRating#UNKNOWN}. Stateless and thread-safe.
 */
public final class ImportPolicy {
  private static final Set<String> SAFE =
      Set.of(
          "collections.OrderedDict",
          // Value types and containers whose reduce only stores values (no callable argument,
          // no file or network access): benign pickles of Python data use them.
          "collections.Counter",
          "collections.deque",
          "collections.defaultdict",
          "decimal.Decimal",
          "fractions.Fraction",
          "datetime.datetime",
          "datetime.date",
          "datetime.time",
          "datetime.timedelta",
          "datetime.timezone",
          "uuid.UUID",
          "_io.BytesIO",
          "io.BytesIO",
          "_io.StringIO",
          "io.StringIO",
          "pathlib.PosixPath",
          "pathlib.WindowsPath",
          "pathlib.PurePosixPath",
          "pathlib.PureWindowsPath",
          "torch._utils._rebuild_tensor",
          "torch._utils._rebuild_tensor_v2",
          "torch._utils._rebuild_tensor_v3",
          "torch._utils._rebuild_parameter",
          "torch._utils._rebuild_parameter_with_state",
          "torch._utils._rebuild_qtensor",
          "torch._utils._rebuild_sparse_tensor",
          "torch._utils._rebuild_nested_tensor",
          "torch._utils._rebuild_device_tensor_from_numpy",
          "torch._utils._rebuild_device_tensor_from_cpu_tensor",
          "torch._utils._rebuild_wrapper_subclass",
          // the rest of torch.load(weights_only=True)'s own allowlist (torch 2.6,
          // _weights_only_unpickler._get_allowed_globals): quantization schemes of quantized
          // tensors (torch.qscheme constants), the layout lookup of sparse tensors, typed storages
          "torch.per_tensor_affine",
          "torch.per_tensor_symmetric",
          "torch.per_channel_affine",
          "torch.per_channel_symmetric",
          "torch.per_channel_affine_float_qparams",
          "torch.serialization._get_layout",
          "torch.storage.TypedStorage",
          "torch._utils._rebuild_meta_tensor_no_storage",
          "torch._tensor._rebuild_from_type_v2",
          "torch.Size",
          "torch.device",
          "torch.Tensor",
          "torch.nn.parameter.Parameter",
          "torch.jit._pickle.build_intlist",
          "torch.jit._pickle.build_floatlist",
          "torch.jit._pickle.build_boollist",
          "torch.jit._pickle.build_doublelist",
          "torch.jit._pickle.build_tensorlist",
          "torch.jit._pickle.restore_type_tag",
          "torch.storage.UntypedStorage",
          "numpy.core.multiarray._reconstruct",
          "numpy._core.multiarray._reconstruct",
          "numpy.core.multiarray.scalar",
          "numpy.core.numeric._frombuffer",
          "numpy._core.numeric._frombuffer",
          "joblib.numpy_pickle.NumpyArrayWrapper",
          "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
          "numpy._core.multiarray.scalar",
          "numpy.ndarray",
          "numpy.dtype",
          // NumPy's matrix: an ndarray subclass rebuilt by _reconstruct and ndarray's setstate
          "numpy.matrixlib.defmatrix.matrix",
          "numpy.matrix",
          "_codecs.encode",
          "builtins.set",
          "builtins.frozenset",
          "builtins.slice",
          "builtins.bytearray",
          "builtins.complex",
          "builtins.range",
          "__builtin__.xrange",
          "builtins.int",
          "builtins.float",
          "builtins.str",
          "builtins.bytes",
          "builtins.list",
          "builtins.dict",
          "builtins.tuple",
          "builtins.bool",
          "__builtin__.set",
          "__builtin__.frozenset",
          "__builtin__.slice",
          "__builtin__.bytearray",
          "__builtin__.complex");

  /** The legacy tensor classes ({@code torch._tensor_classes}): {@code torch.FloatTensor}, ... */
  private static final Set<String> TORCH_TENSOR_CLASSES =
      Set.of(
          "DoubleTensor",
          "FloatTensor",
          "HalfTensor",
          "BFloat16Tensor",
          "LongTensor",
          "IntTensor",
          "ShortTensor",
          "CharTensor",
          "ByteTensor",
          "BoolTensor");

  /**
   * PyTorch's own module classes, by their pickled names ({@code torch.nn.modules.linear.Linear}).
   */
  private static final Set<String> TORCH_NN_MODULES = NameList.load("rules/torch-nn-modules.txt");

  private static final Set<String> TORCH_SCALARS =
      Set.of(
          "float32",
          "float64",
          "float16",
          "bfloat16",
          "int64",
          "int32",
          "int16",
          "int8",
          "uint8",
          "bool",
          "complex64",
          "complex128",
          "float8_e5m2",
          "float8_e4m3fn",
          "uint16",
          "uint32",
          "uint64",
          "qint8",
          "quint8",
          "qint32",
          "half",
          "float",
          "double",
          "long",
          "int",
          "short");

  /** Modules every attribute of which is dangerous (a prefix match on dotted components). */
  private static final Set<String> DANGEROUS_MODULES =
      Set.of(
          "os",
          "posix",
          "nt",
          "subprocess",
          "sys",
          "pty",
          "runpy",
          "shutil",
          "socket",
          "ssl",
          "ctypes",
          "importlib",
          "pickle",
          "_pickle",
          "marshal",
          "code",
          "codeop",
          "pdb",
          "bdb",
          "profile",
          "cProfile",
          "trace",
          "timeit",
          "pydoc",
          "pkgutil",
          "inspect",
          "webbrowser",
          "urllib",
          "urllib2",
          "requests",
          "http",
          "httplib",
          "asyncio",
          "multiprocessing",
          "numpy.f2py",
          "numpy.testing",
          "torch.hub",
          "torch._dynamo",
          "torch._inductor",
          "torch.utils.collect_env",
          "torch.serialization",
          "idlelib",
          "lib2to3",
          "distutils",
          "setuptools",
          "ensurepip",
          "pip",
          "venv",
          "uuid",
          "_osx_support",
          "_aix_support",
          "cloudpickle",
          "dill",
          "joblib",
          "commands",
          "popen2",
          "platform",
          "tempfile",
          "glob",
          "io",
          "_io",
          "builtins.__import__",
          "picklescan",
          "modelscan",
          "fickling",
          "modelaudit",
          "signal",
          "threading",
          "_thread",
          "gc",
          "weakref",
          "zipimport",
          "site",
          "ftplib",
          "smtplib",
          "telnetlib",
          "xmlrpc",
          "imaplib",
          "poplib",
          "nntplib",
          "sqlite3",
          "dbm",
          "shelve",
          "ntpath",
          "posixpath",
          "_posixsubprocess",
          "_winapi",
          "msvcrt",
          "winreg");

  /** Single callables that are dangerous although their module is not. */
  private static final Set<String> DANGEROUS_CALLABLES =
      Set.of(
          "builtins.eval",
          "builtins.exec",
          "builtins.compile",
          "builtins.open",
          "builtins.getattr",
          "builtins.setattr",
          "builtins.delattr",
          "builtins.__import__",
          "builtins.breakpoint",
          "builtins.input",
          "builtins.globals",
          "builtins.locals",
          "builtins.vars",
          "builtins.help",
          "builtins.exit",
          "builtins.quit",
          "builtins.execfile",
          "builtins.file",
          "builtins.reload",
          "builtins.memoryview",
          "builtins.type",
          "builtins.object",
          "builtins.super",
          "builtins.classmethod",
          "builtins.staticmethod",
          "builtins.property",
          "builtins.apply",
          "types.CodeType",
          "types.FunctionType",
          "types.ModuleType",
          "types.MethodType",
          "operator.attrgetter",
          "operator.itemgetter",
          "operator.methodcaller",
          "operator.getitem",
          "functools.partial",
          "functools.reduce",
          "torch.load",
          "torch.jit.load",
          "torch.jit._load_for_lite_interpreter",
          "torch.storage._load_from_bytes",
          "torch._C._jit_pass_onnx",
          "torch.ops.load_library",
          "torch.classes.load_library",
          "torch._ops.ops.load_library",
          "numpy.load",
          "numpy.lib.npyio.load",
          "numpy.fromfile",
          "numpy.frombuffer",
          "logging.FileHandler",
          "logging.config.listen",
          "logging.config.fileConfig",
          "copyreg._reconstructor",
          "copy_reg._reconstructor",
          "code.InteractiveInterpreter",
          "_codecs.open",
          "codecs.open",
          "zipfile.ZipFile",
          "tarfile.open");

  private ImportPolicy() {}

  /** The rating of global {@code module.name} ({@code name} may be a dotted attribute path). */
  public static ImportRating rate(String module, String name) {
    String full = module + "." + name;
    if (SAFE.contains(full) || module.equals("__builtin__") && SAFE.contains("builtins." + name)) {
      // An exact allowlist entry (checked first: joblib's array wrapper lives in a module that is
      // dangerous as a whole).
      return ImportRating.SAFE;
    }
    String[] parts = split(full);
    int moduleParts = split(module).length;
    for (int i = 0; i < parts.length; i++) {
      if (i > 0 && i < moduleParts) {
        // Inside the module path: a real submodule, not an attribute reached through one.
        continue;
      }
      String prefix = "";
      for (int j = i; j < parts.length; j++) {
        prefix = j == i ? parts[j] : prefix + "." + parts[j];
        if (DANGEROUS_MODULES.contains(prefix) || DANGEROUS_CALLABLES.contains(prefix)) {
          return ImportRating.DANGEROUS;
        }
        String legacy =
            prefix.startsWith("__builtin__.") ? "builtins" + prefix.substring(11) : null;
        if (legacy != null && DANGEROUS_CALLABLES.contains(legacy)) {
          return ImportRating.DANGEROUS;
        }
      }
    }
    if (module.equals("torch") && name.indexOf('.') < 0) {
      if (name.endsWith("Storage")
          || TORCH_SCALARS.contains(name)
          || TORCH_TENSOR_CLASSES.contains(name)) {
        return ImportRating.SAFE;
      }
    }
    if (module.equals("torch.cuda")
        && (name.endsWith("Storage") || TORCH_TENSOR_CLASSES.contains(name))
        && name.indexOf('.') < 0) {
      return ImportRating.SAFE;
    }
    if (TORCH_NN_MODULES.contains(full)) {
      return ImportRating.TORCH_MODULE;
    }
    if (full.equals("torch._C.ScriptObject")) {
      return ImportRating.NATIVE;
    }
    if ((module.equals("__torch__") || module.startsWith("__torch__."))) {
      // TorchScript module classes: rebuilt by the TorchScript runtime from the archive's code.
      return ImportRating.SAFE;
    }
    return ImportRating.UNKNOWN;
  }

  private static String[] split(String dotted) {
    int n = 1;
    for (int i = 0; i < dotted.length(); i++) {
      if (dotted.charAt(i) == '.') {
        n++;
      }
    }
    String[] out = new String[n];
    int k = 0;
    int start = 0;
    for (int i = 0; i <= dotted.length(); i++) {
      if (i == dotted.length() || dotted.charAt(i) == '.') {
        out[k++] = dotted.substring(start, i);
        start = i + 1;
      }
    }
    return out;
  }
}
