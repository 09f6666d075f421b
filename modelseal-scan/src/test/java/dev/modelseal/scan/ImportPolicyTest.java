package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.scan.pickle.ImportPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allowlist first: safe builders, known-dangerous callables, and everything else unknown. */
class ImportPolicyTest {
  @ParameterizedTest(name = "{0}.{1} is {2}")
  @CsvSource({
    "torch._utils, _rebuild_tensor_v2, SAFE",
    "torch, FloatStorage, SAFE",
    "torch, bfloat16, SAFE",
    "collections, OrderedDict, SAFE",
    "numpy.core.multiarray, _reconstruct, SAFE",
    "numpy._core.multiarray, _reconstruct, SAFE",
    "numpy.core.numeric, _frombuffer, SAFE",
    "_codecs, encode, SAFE",
    "joblib.numpy_pickle, NumpyArrayWrapper, SAFE",
    "__torch__.model, Net, SAFE",
    "torch, per_tensor_affine, SAFE",
    "torch._C, ScriptObject, NATIVE",
    "torch, per_channel_affine_float_qparams, SAFE",
    "torch.serialization, _get_layout, SAFE",
    "torch, FloatTensor, SAFE",
    "torch.cuda, HalfTensor, SAFE",
    "torch._utils, _rebuild_wrapper_subclass, SAFE",
    "torch.serialization, _get_restore_location, DANGEROUS",
    "torch, per_tensor_affine.__reduce__, UNKNOWN",
    "os, system, DANGEROUS",
    "posix, system, DANGEROUS",
    "nt, system, DANGEROUS",
    "builtins, eval, DANGEROUS",
    "__builtin__, exec, DANGEROUS",
    "builtins, getattr, DANGEROUS",
    "subprocess, Popen, DANGEROUS",
    "importlib, import_module, DANGEROUS",
    "pkgutil, resolve_name, DANGEROUS",
    "pydoc, locate, DANGEROUS",
    "operator, attrgetter, DANGEROUS",
    "functools, partial, DANGEROUS",
    "torch, load, DANGEROUS",
    "torch.serialization, load, DANGEROUS",
    "torch.hub, load, DANGEROUS",
    "torch.utils.collect_env, run, DANGEROUS",
    "numpy.testing._private.utils, runstring, DANGEROUS",
    "uuid, _get_command_stdout, DANGEROUS",
    "fickling, load, DANGEROUS",
    "joblib, load, DANGEROUS",
    "torch._utils, os.system, DANGEROUS",
    "collections, OrderedDict.__init__.__globals__.os.system, DANGEROUS",
    "torch, FloatStorage.__reduce__, UNKNOWN",
    "decimal, Decimal, SAFE",
    "collections, Counter, SAFE",
    "_io, BytesIO, SAFE",
    "_io, FileIO, DANGEROUS",
    "__builtin__, list, SAFE",
    "bz2, open, UNKNOWN",
    "multiprocessing.util, spawnv_passfds, DANGEROUS",
    "sklearn.linear_model._base, LinearRegression, UNKNOWN",
    "my.code.io, Thing, UNKNOWN",
  })
  void rate(String module, String name, ImportRating expected) {
    assertThat(ImportPolicy.rate(module, name)).isEqualTo(expected);
  }
}
