package dev.modelseal.scan.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the member names of a zip say about the PyTorch archives in it, by the layouts PyTorch
 * writes:
 *
 * <ul>
 *   <li>{@code torch.save} and {@code torch.jit.save} archives ({@code PREFIX/data.pkl}, {@code
 *       constants.pkl}, {@code bytecode.pkl} of the lite interpreter): the tensors each pickle
 *       refers to are raw storages in the folder of its name ({@code data/}, {@code constants/},
 *       {@code bytecode/}; {@code .data/} of older writers);
 *   <li>TorchScript archives (a {@code constants.pkl}): the modules their {@code code/} folder
 *       defines ({@code code/torch/jit.py} is module {@code torch.jit});
 *   <li>{@code torch.package} archives ({@code .data/version} and {@code .data/extern_modules}):
 *       storages {@code .data/N.storage}, and the Python modules packaged with the objects ({@code
 *       *.py} outside {@code .data/}), which {@code PackageImporter} runs.
 * </ul>
 *
 * Names only: the members themselves are still scanned by content.
 */
final class TorchArchive {
  private static final String[] PICKLES = {"data", "constants", "bytecode"};

  private final List<String> storageFolders = new ArrayList<>();
  private final List<String> packagePrefixes = new ArrayList<>();
  private final Set<String> torchScriptModules = new HashSet<>();
  private final List<String> packagedSources = new ArrayList<>();

  private TorchArchive() {}

  static TorchArchive of(Set<String> names) {
    TorchArchive a = new TorchArchive();
    Set<String> torchScriptPrefixes = new HashSet<>();
    for (String n : names) {
      String p = prefix(n);
      String leaf = n.substring(p.length());
      for (String pickle : PICKLES) {
        if (leaf.equals(pickle + ".pkl")) {
          a.storageFolders.add(p + pickle + "/");
          if (pickle.equals("data")) {
            a.storageFolders.add(p + ".data/");
          }
        }
      }
      if (leaf.equals("constants.pkl")) {
        torchScriptPrefixes.add(p);
      }
      if (n.endsWith("/.data/version") || n.equals(".data/version")) {
        String q = n.substring(0, n.length() - ".data/version".length());
        if (names.contains(q + ".data/extern_modules")) {
          a.packagePrefixes.add(q);
        }
      }
    }
    for (String n : names) {
      for (String t : torchScriptPrefixes) {
        String code = t + "code/";
        if (n.startsWith(code) && n.endsWith(".py") && n.length() > code.length() + 3) {
          a.torchScriptModules.add(n.substring(code.length(), n.length() - 3).replace('/', '.'));
        }
      }
      for (String q : a.packagePrefixes) {
        if (n.startsWith(q) && n.endsWith(".py") && !n.startsWith(q + ".data/")) {
          a.packagedSources.add(n);
        }
      }
    }
    a.packagedSources.sort(null);
    return a;
  }

  /** The folder part of {@code name}, with its final slash ({@code ""} at the top). */
  private static String prefix(String name) {
    return name.substring(0, name.lastIndexOf('/') + 1);
  }

  /** True when {@code name} is a tensor storage of one of the archives. */
  boolean isStorage(String name) {
    for (String f : storageFolders) {
      if (name.startsWith(f)) {
        return true;
      }
    }
    for (String q : packagePrefixes) {
      if (name.startsWith(q + ".data/") && name.endsWith(".storage")) {
        return true;
      }
    }
    return false;
  }

  /** The modules TorchScript archives here define in their {@code code/} folders. */
  Set<String> torchScriptModules() {
    return torchScriptModules;
  }

  /** The Python modules torch.package archives here carry, in name order. */
  List<String> packagedSources() {
    return packagedSources;
  }
}
