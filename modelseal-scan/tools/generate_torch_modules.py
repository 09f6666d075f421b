#!/usr/bin/env python3
"""Writes modelseal-scan/src/main/resources/dev/modelseal/scan/rules/torch-nn-modules.txt: the
pickled names (``module.qualname``) of PyTorch's own ``torch.nn.Module`` classes, as the installed
torch defines them in ``torch.nn`` and ``torch.ao.nn`` (layers, containers, activations, losses,
quantized and QAT modules). A whole module saved with ``torch.save(model)`` names them; loading
rebuilds each one from its attributes. ``torch.nn.parallel`` (whose modules reach process groups
and devices when rebuilt) and ``torch.nn.cpp`` (a wrapper of C++ modules) are left out. Names
only; nothing else is kept.

  /usr/bin/python3 generate_torch_modules.py [--merge]    (needs torch; no model is built)

--merge keeps the names the list already has (and the versions its header names) and adds the
installed torch's: run it once per torch version, so that files older torch versions wrote, whose
classes moved or went since, are named too.
"""
import importlib
import inspect
import os
import pkgutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "main", "resources", "dev", "modelseal", "scan", "rules",
                   "torch-nn-modules.txt")
ROOTS = ["torch.nn", "torch.ao.nn"]
LEFT_OUT = ("torch.nn.parallel", "torch.nn.cpp")


def modules():
    for root in ROOTS:
        try:
            package = importlib.import_module(root)
        except ImportError:
            continue
        yield package
        for info in pkgutil.walk_packages(package.__path__, root + "."):
            if info.name.startswith(LEFT_OUT):
                continue
            try:
                yield importlib.import_module(info.name)
            except Exception:  # a submodule needing an optional dependency: not a model class
                continue


def names():
    out = set()
    for m in modules():
        for _, cls in inspect.getmembers(m, inspect.isclass):
            where = cls.__module__
            if not issubclass(cls, torch.nn.Module) or not where.startswith(tuple(ROOTS)):
                continue
            if where.startswith(LEFT_OUT) or "<locals>" in cls.__qualname__:
                continue
            out.add(where + "." + cls.__qualname__)
    return sorted(out)


HEADER = "# PyTorch %s torch.nn.Module classes, written by " \
    "modelseal-scan/tools/generate_torch_modules.py\n"


def main():
    found = set(names())
    versions = [torch.__version__]
    if "--merge" in sys.argv[1:] and os.path.exists(OUT):
        with open(OUT) as f:
            lines = f.read().splitlines()
        head = lines[0][len("# PyTorch "):].split(" torch.nn.Module classes")[0]
        versions = sorted(set(head.split(", ")) | set(versions))
        found |= {n for n in lines[1:] if n and not n.startswith("#")}
    with open(OUT, "w") as f:
        f.write(HEADER % ", ".join(versions))
        for n in sorted(found):
            f.write(n + "\n")
    print("%d names written to %s" % (len(found), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
