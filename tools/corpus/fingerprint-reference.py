#!/usr/bin/env python3
"""An independent implementation of docs/fingerprint.md (definition v1) over the reference
libraries, for the formats corpus test (compare-formats.sh). It does not call modelseal.

  fingerprint-reference.py FILE...   (or the paths on standard input, one a line)
  one JSON line per file:
    {"path": ..., "format": ..., "tensors": {name: "sha256:..."}}      read by the reference
    {"path": ..., "format": ..., "refused": "reason"}                 the reference cannot read it
    {"path": ..., "skipped": "reason"}                                a library is missing

Readers: numpy (.npy, .npz), onnx (onnx.load, numpy_helper), TFLite (TensorFlow's own generated
flatbuffer schema, tensorflow.lite.python.schema_py_generated; or the `tflite` package), TF.js
(the weights manifest decoded with numpy as tf.io.decodeWeights does), safetensors
(safetensors.deserialize), GGUF (gguf.GGUFReader), Flax (flax.serialization.msgpack_restore),
Orbax checkpoint directories (orbax.checkpoint.PyTreeCheckpointer().restore: the numpy arrays),
PyTorch flat state dicts (torch.load(weights_only=True); .pt and .pth files), HDF5 files
(h5py: the Keras 2, Keras 3 and plain layouts; .keras zips by their model.weights.h5).
A format is chosen from the file's magic number or name; a library that is not installed makes
the file "skipped", never a failure of this script.
"""
import hashlib
import json
import os
import struct
import sys


# ---- docs/fingerprint.md section 4 ------------------------------------------------------------

def _u64(n):
    return struct.pack("<Q", n)


def _str(text):
    b = text.encode("utf-8")
    return _u64(len(b)) + b


def tensor_digest(dtype, shape, data):
    h = hashlib.sha256()
    h.update(_str("modelseal.fingerprint.v1.tensor") + _str(dtype) + _u64(len(shape)))
    for d in shape:
        h.update(_u64(int(d)))
    h.update(_u64(len(data)))
    h.update(data)
    return "sha256:" + h.hexdigest()


class Refused(Exception):
    pass


class Missing(Exception):
    pass


class Unsupported(Exception):
    """A layout this reference does not implement (the file is skipped, never compared)."""


def _need(module):
    try:
        return __import__(module, fromlist=["_"])
    except Exception as e:  # ImportError, or a broken install
        raise Missing("python module %s is not available (%s)" % (module, type(e).__name__))


# numpy dtype names (ml_dtypes' for the small floats) that have a canonical v1 name
NP_NAMES = {"bool", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64",
            "float16", "float32", "float64", "complex64", "complex128", "bfloat16",
            "float8_e5m2", "float8_e4m3fn", "float8_e8m0fnu", "float8_e4m3fnuz",
            "float8_e5m2fnuz"}


def canonical_array(np, a):
    """(dtype, shape, canonical bytes) of a numpy array: row-major, little-endian."""
    name = a.dtype.name
    if a.dtype.kind == "O" or a.dtype.fields is not None or name not in NP_NAMES:
        raise Refused("dtype %s has no canonical form" % a.dtype)
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return name, list(a.shape), np.ascontiguousarray(a).tobytes()


# ---- readers ------------------------------------------------------------------------------------

def read_npy(path):
    np = _need("numpy")
    try:
        a = np.load(path, allow_pickle=False)
    except ValueError as e:
        raise Refused("numpy.load: %s" % e)
    name = os.path.basename(path)
    name = name[:-4] if name.endswith(".npy") else name
    return {name: canonical_array(np, a)}


def read_npz(path):
    np = _need("numpy")
    out = {}
    try:
        with np.load(path, allow_pickle=False) as z:
            for k in z.files:
                out[k] = canonical_array(np, z[k])
    except ValueError as e:
        raise Refused("numpy.load: %s" % e)
    return out


ONNX_TYPES = {1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32",
              7: "int64", 9: "bool", 10: "float16", 11: "float64", 12: "uint32", 13: "uint64",
              14: "complex64", 15: "complex128", 16: "bfloat16", 17: "float8_e4m3fn",
              18: "float8_e4m3fnuz", 19: "float8_e5m2", 20: "float8_e5m2fnuz",
              24: "float8_e8m0fnu"}


def read_onnx(path):
    onnx = _need("onnx")
    np = _need("numpy")
    from onnx import numpy_helper
    model = onnx.load(path, load_external_data=True)
    out = {}

    def add(name, t):
        if t.data_type not in ONNX_TYPES:
            raise Refused("tensor %r has ONNX type %d" % (name, t.data_type))
        a = numpy_helper.to_array(t)
        dtype = ONNX_TYPES[t.data_type]
        if a.dtype.name != dtype and not (dtype == "bool" and a.dtype == np.bool_):
            a = a.view(dtype) if a.dtype.itemsize == np.dtype(dtype).itemsize else a
        _, shape, data = canonical_array(np, a)
        if name in out:
            raise Refused("two tensors are named %r" % name)
        out[name] = (dtype, list(t.dims), data)

    def dense(sp):
        values = numpy_helper.to_array(sp.values)
        idx = numpy_helper.to_array(sp.indices)
        dims = list(sp.dims)
        full = np.zeros(int(np.prod(dims)) if dims else 1, dtype=values.dtype)
        flat = idx if idx.ndim == 1 else np.ravel_multi_index(idx.T, dims)
        full[flat] = values
        t = numpy_helper.from_array(full.reshape(dims), sp.values.name)
        t.data_type = sp.values.data_type
        return t

    def graph(g):
        for t in g.initializer:
            add(t.name, t)
        for sp in g.sparse_initializer:
            add(sp.values.name, dense(sp))
        for node in g.node:
            if node.op_type == "Constant" and node.domain in ("", "ai.onnx"):
                for at in node.attribute:
                    if at.name == "value":
                        add(node.output[0], at.t)
                    elif at.name == "sparse_value":
                        add(node.output[0], dense(at.sparse_tensor))
                    elif at.name == "value_float":
                        add(node.output[0], numpy_helper.from_array(np.array(at.f, dtype=np.float32)))
                    elif at.name == "value_floats":
                        add(node.output[0], numpy_helper.from_array(np.array(list(at.floats), dtype=np.float32)))
                    elif at.name == "value_int":
                        add(node.output[0], numpy_helper.from_array(np.array(at.i, dtype=np.int64)))
                    elif at.name == "value_ints":
                        add(node.output[0], numpy_helper.from_array(np.array(list(at.ints), dtype=np.int64)))
                    else:
                        raise Refused("Constant %r has attribute %s" % (node.output[0], at.name))
            for at in node.attribute:
                if at.type == onnx.AttributeProto.GRAPH:
                    graph(at.g)
                elif at.type == onnx.AttributeProto.GRAPHS:
                    for sg in at.graphs:
                        graph(sg)

    graph(model.graph)
    return out


TFLITE_TYPES = {0: "float32", 1: "float16", 2: "int32", 3: "uint8", 4: "int64", 6: "bool",
                7: "int16", 8: "complex64", 9: "int8", 10: "float64", 11: "complex128",
                12: "uint64", 15: "uint32", 16: "uint16", 17: "bfloat16"}
TFLITE_BITS = {"float32": 32, "float16": 16, "int32": 32, "uint8": 8, "int64": 64, "bool": 8,
               "int16": 16, "complex64": 64, "int8": 8, "float64": 64, "complex128": 128,
               "uint64": 64, "uint32": 32, "uint16": 16, "bfloat16": 16}


_TFLITE_SCHEMA = []


def _tflite_schema():
    """TensorFlow's generated schema module, loaded from its file (importing all of tensorflow is
    slow), or the `tflite` package (the same generated code)."""
    if not _TFLITE_SCHEMA:
        import importlib.util
        spec = importlib.util.find_spec("tensorflow")
        mod = None
        if spec is not None and spec.submodule_search_locations:
            f = os.path.join(list(spec.submodule_search_locations)[0], "lite", "python",
                             "schema_py_generated.py")
            if os.path.exists(f):
                _need("flatbuffers")
                s = importlib.util.spec_from_file_location("tflite_schema_py_generated", f)
                mod = importlib.util.module_from_spec(s)
                s.loader.exec_module(mod)
        if mod is None:
            try:
                import tflite as mod
            except Exception:
                raise Missing("neither tensorflow nor the tflite package is available")
        _TFLITE_SCHEMA.append(mod)
    return _TFLITE_SCHEMA[0]


def _tflite_index_vector(dm, which):
    """The values of a DimensionMetadata SparseIndexVector union (Int32/Uint16/Uint8Vector)."""
    import struct as st
    kind = dm.ArraySegmentsType() if which == "segments" else dm.ArrayIndicesType()
    tab = dm.ArraySegments() if which == "segments" else dm.ArrayIndices()
    if tab is None or kind not in (1, 2, 3):
        raise Refused("a sparse index vector of type %d" % kind)
    # the union's table: field 0 is the values vector; read it through the flatbuffers Table
    o = tab.Offset(4)
    if o == 0:
        return []
    n = tab.VectorLen(o)
    start = tab.Vector(o)
    width = {1: 4, 2: 2, 3: 1}[kind]
    fmt = {1: "<i", 2: "<H", 3: "<B"}[kind]
    return [st.unpack_from(fmt, tab.Bytes, start + i * width)[0] for i in range(n)]


def _tflite_densify(sp, shape, data, width):
    """TFLite's FormatConverter::SparseToDense over the stored values (docs/fingerprint.md)."""
    rank = len(shape)
    order = [sp.TraversalOrder(i) for i in range(sp.TraversalOrderLength())]
    block_map = [sp.BlockMap(i) for i in range(sp.BlockMapLength())]
    dims = [sp.DimMetadata(i) for i in range(sp.DimMetadataLength())]
    block = [dims[order.index(rank + b)].DenseSize() for b in range(len(block_map))]
    total = 1
    for d in shape:
        total *= d
    dense = bytearray(total * width)
    pos = [0]
    idx = [0] * len(order)

    def walk(level, parent):
        if level == len(order):
            orig = idx[:rank]
            for b in range(len(block_map)):
                orig[block_map[b]] = orig[block_map[b]] * block[b] + idx[rank + b]
            lin = 0
            for d in range(rank):
                lin = lin * shape[d] + orig[d]
            dense[lin * width:(lin + 1) * width] = data[pos[0] * width:(pos[0] + 1) * width]
            pos[0] += 1
            return
        dm = dims[level]
        if dm.Format() == 0:
            size = dm.DenseSize()
            for i in range(size):
                idx[order[level]] = i
                walk(level + 1, parent * size + i)
        else:
            seg = _tflite_index_vector(dm, "segments")
            ind = _tflite_index_vector(dm, "indices")
            for i in range(seg[parent], seg[parent + 1]):
                idx[order[level]] = ind[i]
                walk(level + 1, i)

    walk(0, 0)
    if pos[0] * width != len(data):
        raise Refused("the sparsity places %d values, the buffer holds %d" % (pos[0], len(data) // width))
    return bytes(dense)


def read_tflite(path):
    schema = _tflite_schema()
    with open(path, "rb") as f:
        buf = f.read()
    model = schema.Model.GetRootAsModel(buf, 0) if hasattr(schema.Model, "GetRootAsModel") \
        else schema.Model.GetRootAs(buf, 0)
    out = {}
    for si in range(model.SubgraphsLength()):
        sg = model.Subgraphs(si)
        for ti in range(sg.TensorsLength()):
            t = sg.Tensors(ti)
            b = model.Buffers(t.Buffer())
            if b is None:
                continue
            if b.DataLength() > 0:
                data = b.DataAsNumpy().tobytes()
            elif b.Offset() > 1:
                data = buf[b.Offset():b.Offset() + b.Size()]
            else:
                continue
            name = "%d/%s" % (si, t.Name().decode("utf-8"))
            if t.Type() not in TFLITE_TYPES:
                raise Refused("tensor %r has TFLite type %d" % (name, t.Type()))
            dtype = TFLITE_TYPES[t.Type()]
            shape = [int(d) for d in t.ShapeAsNumpy()] if t.ShapeLength() > 0 else []
            n = 1
            for d in shape:
                n *= d
            if t.Sparsity() is not None:
                data = _tflite_densify(t.Sparsity(), shape, data, TFLITE_BITS[dtype] // 8)
            if n * TFLITE_BITS[dtype] // 8 != len(data):
                raise Refused("tensor %r holds %d bytes for shape %s" % (name, len(data), shape))
            out[name] = (dtype, shape, data)
    return out


def read_tfjs(path):
    np = _need("numpy")
    with open(path, "rb") as f:
        doc = json.load(f)
    groups = doc["weightsManifest"] if isinstance(doc, dict) else doc
    base = os.path.dirname(path)
    out = {}
    for g in groups:
        blob = b"".join(open(os.path.join(base, p), "rb").read() for p in g["paths"])
        pos = 0
        for w in g["weights"]:
            shape = [int(d) for d in w["shape"]]
            n = int(np.prod(shape)) if shape else 1
            dtype = w["dtype"]
            q = w.get("quantization")
            if q:
                qt = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}[q["dtype"]]
                raw = np.frombuffer(blob, dtype=np.dtype(qt).newbyteorder("<"), count=n,
                                    offset=pos)
                pos += n * np.dtype(qt).itemsize
                if q["dtype"] == "float16":
                    vals = raw.astype(np.float32)
                else:
                    real = raw.astype(np.float64) * q["scale"] + q["min"]
                    if dtype == "int32":
                        vals = np.floor(real + 0.5).astype(np.int64).astype(np.int32)
                    else:
                        vals = real.astype(np.float32)
                arr = vals
            else:
                nt = {"float32": "<f4", "int32": "<i4", "bool": "|b1", "complex64": "<c8"}.get(dtype)
                if nt is None:
                    raise Refused("weight %r has dtype %s" % (w["name"], dtype))
                arr = np.frombuffer(blob, dtype=nt, count=n, offset=pos)
                pos += n * np.dtype(nt).itemsize
            name, _, data = canonical_array(np, arr)
            out[w["name"]] = (name, shape, data)
        if pos != len(blob):
            raise Refused("a weights group's shards hold %d bytes, the weights %d" % (len(blob), pos))
    return out


SAFETENSORS_TYPES = {"BOOL": "bool", "U8": "uint8", "I8": "int8", "U16": "uint16", "I16": "int16",
                     "U32": "uint32", "I32": "int32", "U64": "uint64", "I64": "int64",
                     "F16": "float16", "BF16": "bfloat16", "F32": "float32", "F64": "float64",
                     "C64": "complex64", "F8_E5M2": "float8_e5m2", "F8_E4M3": "float8_e4m3fn"}


def read_safetensors(path):
    st = _need("safetensors")
    with open(path, "rb") as f:
        items = st.deserialize(f.read())
    out = {}
    for name, t in items:
        if t["dtype"] not in SAFETENSORS_TYPES:
            raise Refused("tensor %r has dtype %s" % (name, t["dtype"]))
        out[name] = (SAFETENSORS_TYPES[t["dtype"]], list(t["shape"]), bytes(t["data"]))
    return out


def read_gguf(path):
    gguf = _need("gguf")
    np = _need("numpy")
    r = gguf.GGUFReader(path)
    out = {}
    plain = {0: "float32", 1: "float16", 24: "int8", 25: "int16", 26: "int32", 27: "int64",
             28: "float64", 30: "bfloat16"}
    for t in r.tensors:
        tt = int(t.tensor_type)
        shape = [int(d) for d in reversed(list(t.shape))]
        dtype = plain.get(tt) or "gguf." + gguf.GGMLQuantizationType(tt).name
        out[t.name] = (dtype, shape, np.ascontiguousarray(t.data).tobytes())
    return out


def read_flax(path):
    np = _need("numpy")
    fs = _need("flax.serialization")
    with open(path, "rb") as f:
        tree = fs.msgpack_restore(f.read())
    return _pytree_arrays(np, tree, lambda v: isinstance(v, (np.ndarray, np.generic)))


def _pytree_arrays(np, tree, is_array, sep="/", convert=None):
    """The arrays of a pytree (dicts, lists, tuples) named by their keys joined with sep ('/' as
    Flax and Orbax name them, '.' as PyTorch does), each made canonical by convert (default: as a
    NumPy array); leaves for which is_array is false are left out."""
    out = {}

    def walk(prefix, v):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(prefix + [str(k)], x)
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                walk(prefix + [str(i)], x)
        elif is_array(v):
            name = sep.join(prefix)
            out[name] = convert(name, v) if convert else canonical_array(np, np.asarray(v))

    walk([], tree)
    return out


def _h5_names(group, attr):
    """A list attribute as Keras writes it: whole, or split over attr0, attr1, ... when large."""
    if attr in group.attrs:
        chunks = [group.attrs[attr]]
    else:
        chunks = []
        while "%s%d" % (attr, len(chunks)) in group.attrs:
            chunks.append(group.attrs["%s%d" % (attr, len(chunks))])
        if not chunks:
            return None
    return [n.decode("utf-8") if isinstance(n, bytes) else str(n) for c in chunks for n in c]


def _keras2(np, h5py, group):
    """Keras 2 (model.save / save_weights to .h5): the datasets each layer of layer_names lists in
    its weight_names, named <layer>/<weight name>; optimizer_weights and the rest are out."""
    def hard(g, part, name):  # in a Keras layout every link is refused, never followed
        if not isinstance(g.get(part, getlink=True), h5py.HardLink):
            raise Refused("%r is missing or an HDF5 link" % name)
        return g[part]

    out = {}
    for layer in _h5_names(group, "layer_names"):
        lg = hard(group, layer, layer)
        for w in _h5_names(lg, "weight_names") or []:
            name = layer + "/" + w
            d = lg
            for part in w.split("/"):
                d = hard(d, part, name)
            if not isinstance(d, h5py.Dataset):
                raise Refused("weight %r is not a dataset" % name)
            out[name] = canonical_array(np, np.asarray(d[()]))
    return out


def read_hdf5(path):
    """The tensors of an HDF5 file (h5py) as docs/fingerprint.md section 8 defines them: a Keras 2
    file (layer_names at the root, or a model_weights group) by its layers' weight_names; a
    Keras 3 weights file (a top-level layers or vars group) every dataset outside the top-level
    optimizer group; any other file every dataset. Datasets are named by their path without the
    leading '/'; strings, compound and reference types are refused."""
    np = _need("numpy")
    h5py = _need("h5py")
    out = {}
    with h5py.File(path, "r") as f:
        if _h5_names(f, "layer_names") is not None:
            return _keras2(np, h5py, f)
        if isinstance(f.get("model_weights", getlink=True), h5py.HardLink):
            return _keras2(np, h5py, f["model_weights"])
        keras3 = isinstance(f.get("layers"), h5py.Group) or isinstance(f.get("vars"), h5py.Group)

        # every path of hard links (a dataset linked twice has two names); soft links are
        # aliases, not followed; external links point into another file: refused
        def walk(group, prefix, depth):
            if depth > 64:
                raise Refused("groups nested deeper than 64")
            for key in group:
                if keras3 and depth == 1 and key == "optimizer":
                    continue  # optimizer state is not model weights
                link = group.get(key, getlink=True)
                name = prefix + key
                if isinstance(link, h5py.SoftLink):
                    continue
                if isinstance(link, h5py.ExternalLink):
                    raise Refused("%r is an external link" % name)
                obj = group[key]
                if isinstance(obj, h5py.Group):
                    walk(obj, name + "/", depth + 1)
                elif isinstance(obj, h5py.Dataset):
                    if obj.dtype.kind not in "biufc" or obj.dtype.fields is not None:
                        raise Refused("dataset %r has dtype %s" % (name, obj.dtype))
                    out[name] = canonical_array(np, np.asarray(obj[()]))

        walk(f, "", 1)
    if not out:
        raise Refused("no dataset")
    return out


def read_keras_zip(path):
    """A Keras 3 .keras zip: the tensors of its model.weights.h5 (read_hdf5's Keras 3 layout)."""
    import tempfile
    import zipfile

    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as d:
        if "config.json" not in z.namelist() or "model.weights.h5" not in z.namelist():
            raise Refused("not a .keras zip (no config.json and model.weights.h5)")
        return read_hdf5(z.extract("model.weights.h5", d))


def _tensor_pickle(torch):
    """A pickle module for torch.load whose Unpickler resolves only tensor rebuilders, storages
    and OrderedDict (anything else raises): the classic restricted find_class."""
    import pickle
    import types

    allowed = {("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"),
               ("torch._utils", "_rebuild_parameter"), ("collections", "OrderedDict"),
               ("builtins", "set"), ("__builtin__", "set")}

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) in allowed or (module == "torch" and name.endswith("Storage")):
                return super().find_class(module, name)
            raise pickle.UnpicklingError("global %s.%s refused" % (module, name))

    return types.SimpleNamespace(Unpickler=Unpickler, load=lambda f, **kw: Unpickler(f, **kw).load(),
                                 __name__="tensor_pickle")


def read_torch(path):
    """torch.load(weights_only=True) of a torch.save file: every tensor in the loaded object, named
    by its path (dict keys, list and tuple indices joined with '.'; a bare tensor is named '').
    TorchScript archives (which torch.load hands to torch.jit.load) are not read here."""
    np = _need("numpy")
    torch = _need("torch")
    import zipfile
    if zipfile.is_zipfile(path) and any(
            n.endswith("constants.pkl") for n in zipfile.ZipFile(path).namelist()):
        raise Unsupported("a TorchScript archive")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:
        # torch 1.13's weights-only unpickler lacks opcodes of protocols 1 and 4 ("Unsupported
        # operand", FRAME for one) and builtins.set (which torch 2.6's allows): then CPython's own
        # unpickler, allowed only tensor, storage, set and OrderedDict globals
        if "Unsupported operand" not in str(e) and "builtin__.set" not in str(e) \
                and "builtins.set" not in str(e):
            raise
        obj = torch.load(path, map_location="cpu", pickle_module=_tensor_pickle(torch))

    def tensor(name, v):
        if v.is_quantized or v.is_sparse or v.layout != torch.strided:
            raise Refused("a quantized or sparse tensor: " + name)
        t = v.detach().contiguous()
        if t.dtype == torch.bfloat16:
            return ("bfloat16", list(t.shape), t.view(torch.int16).numpy().astype("<i2").tobytes())
        return canonical_array(np, t.numpy())

    return _pytree_arrays(np, obj, lambda v: isinstance(v, torch.Tensor), ".", tensor)


def read_orbax(path):
    """What orbax restores from a checkpoint directory (PyTreeCheckpointer, numpy arrays)."""
    np = _need("numpy")
    ocp = _need("orbax.checkpoint")
    import logging
    logging.disable(logging.WARNING)
    ck = ocp.PyTreeCheckpointer()
    try:
        # as NumPy arrays: no device placement, so no sharding is needed
        import jax
        meta = ck.metadata(path)
        meta = getattr(meta, "item_metadata", meta)
        meta = getattr(meta, "tree", meta)
        args = jax.tree_util.tree_map(lambda _: ocp.RestoreArgs(restore_type=np.ndarray), meta)
        tree = ck.restore(path, restore_args=args)
    except Exception:
        tree = ck.restore(path)
    # NumPy arrays, or the jax.Arrays orbax may still return: anything with a shape and a dtype
    # that is not a NumPy scalar
    return _pytree_arrays(
        np, tree,
        lambda v: isinstance(v, np.ndarray)
        or (hasattr(v, "shape") and hasattr(v, "dtype") and not isinstance(v, np.generic)))


def detect(path):
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "_METADATA")):
            return "orbax", read_orbax
        return None, None
    with open(path, "rb") as f:
        head = f.read(16)
    name = os.path.basename(path)
    if head.startswith(b"\x93NUMPY"):
        return "npy", read_npy
    if head.startswith(b"GGUF"):
        return "gguf", read_gguf
    if head[4:8] == b"TFL3":
        return "tflite", read_tflite
    if head.startswith(b"PK") and name.endswith(".npz"):
        return "npz", read_npz
    if name.endswith(".onnx"):
        return "onnx", read_onnx
    if head.startswith(b"PK") and name.endswith(".keras"):
        return "keras", read_keras_zip
    if name.endswith(".safetensors"):
        return "safetensors", read_safetensors
    if name.endswith(".msgpack"):
        return "flax", read_flax
    if name.endswith((".pt", ".pth")):
        return "pytorch", read_torch
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return "hdf5", read_hdf5
    if name == "model.json" or name.endswith("manifest.json"):
        return "tfjs", read_tfjs
    return None, None


def main(paths):
    for p in paths:
        fmt, reader = detect(p)
        rec = {"path": p, "format": fmt}
        if reader is None:
            rec["skipped"] = "not a format this reference reads"
        else:
            try:
                tensors = reader(p)
                rec["tensors"] = {n: tensor_digest(*t) for n, t in tensors.items()}
            except (Missing, Unsupported) as e:
                rec["skipped"] = str(e)
            except Refused as e:
                rec["refused"] = str(e)[:200]
            except Exception as e:  # the reference library could not read it
                rec["refused"] = ("%s: %s" % (type(e).__name__, e))[:200]
        print(json.dumps(rec, sort_keys=True), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or [line.rstrip("\n") for line in sys.stdin if line.strip()])
