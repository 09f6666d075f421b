package dev.modelseal.formats.pytorch;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.pickle.PickleImport;
import dev.modelseal.formats.pickle.PickleResolver;
import dev.modelseal.formats.pickle.PyDict;
import dev.modelseal.formats.pickle.PyGlobal;
import dev.modelseal.formats.pickle.PyList;
import dev.modelseal.formats.pickle.PyNone;
import dev.modelseal.formats.pickle.PyTuple;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The resolver of PyTorch weights pickles: tensor rebuilders become {@link TensorRef}s, {@code
 * OrderedDict()} a dict, storage persistent ids {@link StorageRef}s; TorchScript module classes
 * ({@code __torch__.*}, {@code NEWOBJ} without arguments) stay inert objects. Every other call is
 * refused, naming the global; nothing is executed.
 */
final class TorchResolver implements PickleResolver {
  private final Path file;
  private final String what;
  private final boolean legacy;
  private final Map<String, StorageRef> storages = new LinkedHashMap<>();

  TorchResolver(Path file, String what, boolean legacy) {
    this.file = file;
    this.what = what;
    this.legacy = legacy;
  }

  /** The storages the pickle referenced, by key (legacy: root keys), in first-use order. */
  Map<String, StorageRef> storages() {
    return storages;
  }

  @Override
  public Object call(Call c) throws FormatException {
    if (!(c.callable() instanceof PyGlobal g)) {
      throw refuse("a call of a computed value (" + c.callable() + ")", c);
    }
    String name = g.toString();
    if (!c.opcode().equals("REDUCE")) {
      if (TorchGlobals.isScriptClass(g) && c.opcode().equals("NEWOBJ") && c.args().size() == 0) {
        return c.inert();
      }
      throw refuse("global '" + name + "'", c);
    }
    PyTuple a = c.args();
    switch (name) {
      case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
        if (a.size() < 4) {
          throw bad(name + " needs 4 or more arguments", c);
        }
        return tensor(a.get(0), a.get(1), a.get(2), a.get(3), c);
      }
      case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
        if (a.size() < 1 || !(a.get(0) instanceof TensorRef t)) {
          throw bad(name + " of something that is not a tensor", c);
        }
        return t;
      }
      case "torch._tensor._rebuild_from_type_v2" -> {
        // (func, new_type, args, state): a tensor subclass; accept Tensor and Parameter only.
        if (a.size() != 4
            || !(a.get(1) instanceof PyGlobal type)
            || !(a.get(2) instanceof PyTuple args)) {
          throw bad(name + " with unexpected arguments", c);
        }
        if (!type.is("torch", "Tensor") && !type.is("torch.nn.parameter", "Parameter")) {
          throw refuse("tensor subclass '" + type + "'", c);
        }
        return call(new Call(a.get(0), args, PyNone.NONE, "REDUCE", c.offset()));
      }
      case "collections.OrderedDict" -> {
        if (a.size() == 0) {
          return PyDict.empty();
        }
        if (a.size() == 1 && (a.get(0) instanceof PyList || a.get(0) instanceof PyTuple)) {
          // Python 2's OrderedDict.__reduce__: OrderedDict([[key, value], ...]).
          return pairs(a.get(0), c);
        }
        throw refuse("OrderedDict with constructor arguments", c);
      }
      case "torch.Size" -> {
        if (a.size() != 1 || !(a.get(0) instanceof PyTuple t)) {
          throw bad("torch.Size of something that is not a tuple", c);
        }
        return t;
      }
      case "torch.jit._pickle.build_intlist",
          "torch.jit._pickle.build_floatlist",
          "torch.jit._pickle.build_boollist",
          "torch.jit._pickle.build_doublelist",
          "torch.jit._pickle.build_tensorlist",
          "torch.jit._pickle.restore_type_tag" -> {
        if (a.size() < 1) {
          throw bad(name + " without arguments", c);
        }
        return a.get(0);
      }
      default -> {
        if (TorchGlobals.INERT_CALLS.contains(name) && !TorchGlobals.REBUILDERS.contains(name)) {
          return c.inert();
        }
        throw refuse("global '" + name + "'", c);
      }
    }
  }

  /** The dict {@code OrderedDict(items)} builds from a list or tuple of (key, value) pairs. */
  private PyDict pairs(Object items, Call c) throws FormatException {
    List<Object> list = items instanceof PyList l ? l.items() : ((PyTuple) items).items();
    List<Map.Entry<Object, Object>> pairs = new ArrayList<>(list.size());
    for (Object item : list) {
      List<Object> kv =
          item instanceof PyList l ? l.items() : item instanceof PyTuple t ? t.items() : null;
      if (kv == null || kv.size() != 2) {
        throw bad("OrderedDict item that is not a (key, value) pair", c);
      }
      pairs.add(new AbstractMap.SimpleImmutableEntry<>(kv.get(0), kv.get(1)));
    }
    return PyDict.ofPairs(pairs);
  }

  @Override
  public Object persistentLoad(Object pid, long offset) throws FormatException {
    if (!(pid instanceof PyTuple t) || t.size() < 5 || !"storage".equals(t.get(0))) {
      throw new UnsupportedModelException(
          file, what + ": persistent id at offset " + offset + " is not a ('storage', ...) tuple");
    }
    if (!(t.get(1) instanceof PyGlobal type)) {
      throw new MalformedModelException(
          file, what + ": storage type at offset " + offset + " is not a global");
    }
    DType dt = TorchGlobals.storageDType(type);
    if (dt == null) {
      throw new UnsupportedModelException(
          file, what + ": storage type '" + type + "' at offset " + offset + " is not supported");
    }
    if (!(t.get(2) instanceof String key) || !plainKey(key)) {
      throw new MalformedModelException(
          file, what + ": storage key at offset " + offset + " is not a plain name");
    }
    long numel = nonNegative(t.get(4), "storage size", offset);
    long base = 0;
    long viewNumel = numel;
    if (legacy && t.size() >= 6 && t.get(5) instanceof PyTuple view) {
      // (view_key, offset, view_size): a view of the root storage.
      if (view.size() != 3) {
        throw new MalformedModelException(
            file, what + ": storage view metadata at offset " + offset + " is not 3 values");
      }
      base = nonNegative(view.get(1), "storage view offset", offset);
      viewNumel = nonNegative(view.get(2), "storage view size", offset);
      if (base > numel || viewNumel > numel - base) {
        throw new MalformedModelException(
            file,
            what + ": storage view at offset " + offset + " exceeds its storage '" + key + "'");
      }
    } else if (t.size() != 5 && !(legacy && t.size() == 6)) {
      throw new MalformedModelException(
          file,
          what + ": storage persistent id at offset " + offset + " has " + t.size() + " items");
    }
    StorageRef root = storages.get(key);
    if (root == null) {
      root = new StorageRef(key, dt, 0, numel);
      storages.put(key, root);
    } else if (!root.dtype().equals(dt) || root.numel() != numel) {
      throw new MalformedModelException(
          file, what + ": storage '" + key + "' is referenced with two different types or sizes");
    }
    return base == 0 && viewNumel == numel ? root : new StorageRef(key, dt, base, viewNumel);
  }

  private TensorRef tensor(Object storage, Object offset, Object size, Object stride, Call c)
      throws FormatException {
    if (!(storage instanceof StorageRef s)) {
      throw bad("a tensor whose storage is not a storage persistent id", c);
    }
    long off = nonNegative(offset, "storage offset", c.offset());
    long[] sz = dims(size, "size", c);
    long[] st = dims(stride, "stride", c);
    if (sz.length != st.length) {
      throw bad("a tensor whose size and stride have different lengths", c);
    }
    return new TensorRef(s, off, sz, st);
  }

  private long[] dims(Object o, String label, Call c) throws FormatException {
    if (!(o instanceof PyTuple t)) {
      throw bad("a tensor " + label + " that is not a tuple", c);
    }
    if (t.size() > 64) {
      throw bad("a tensor of rank " + t.size(), c);
    }
    long[] d = new long[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = nonNegative(t.get(i), "tensor " + label, c.offset());
    }
    return d;
  }

  private long nonNegative(Object o, String label, long offset) throws MalformedModelException {
    if (o instanceof Long v && v >= 0) {
      return v;
    }
    if (o instanceof BigInteger) {
      throw new MalformedModelException(
          file, what + ": " + label + " at offset " + offset + " is too large");
    }
    throw new MalformedModelException(
        file, what + ": " + label + " at offset " + offset + " is not a non-negative integer");
  }

  /** The distinct globals a pickle named, sorted, comma-separated: metadata for review. */
  static String globals(List<PickleImport> imports) {
    TreeSet<String> names = new TreeSet<>();
    for (PickleImport i : imports) {
      names.add(i.global().toString());
    }
    return String.join(", ", names);
  }

  static boolean plainKey(String key) {
    if (key.isEmpty() || key.length() > 255 || key.equals(".") || key.equals("..")) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch == '/' || ch == '\\' || ch < 0x20 || ch == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private UnsupportedModelException refuse(String what2, Call c) {
    return new UnsupportedModelException(
        file,
        what
            + ": refuses "
            + what2
            + " ("
            + c.opcode()
            + " at pickle offset "
            + c.offset()
            + "); it was not executed: only globals that build tensors and containers are"
            + " accepted");
  }

  private MalformedModelException bad(String reason, Call c) {
    return new MalformedModelException(
        file, what + ": " + reason + " (pickle offset " + c.offset() + ")");
  }
}
