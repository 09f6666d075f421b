package dev.modelseal.scan.rules;

import dev.modelseal.formats.pickle.PickleFrame;
import dev.modelseal.formats.pickle.PickleInput;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.ImportRating;
import dev.modelseal.scan.PickleImport;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.ScanLimitException;
import dev.modelseal.scan.Severity;
import dev.modelseal.scan.pickle.ImportPolicy;
import dev.modelseal.scan.pickle.PickleListener;
import dev.modelseal.scan.pickle.PickleWalk;
import dev.modelseal.scan.pickle.PickleWalker;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks every pickle in a stream: the first one strictly (a pickle that breaks off is a finding,
 * after the imports met before the break), then any stacked after STOP. What follows the last
 * complete pickle is walked speculatively: it counts as another pickle only when it reaches STOP or
 * names a global, otherwise it is taken for the data that follows pickles in joblib, legacy PyTorch
 * and NumPy files. Each unsafe global is reported once per content, with its first opcode offset.
 */
final class PickleScan {
  /** Most pickles walked one after another in one stream. */
  static final int MAX_STACKED = 10_000;

  private PickleScan() {}

  /**
   * Walks the pickles of {@code in}, whose first byte is at offset {@code base} of {@code c}.
   * {@code strict} is false when the bytes are only possibly a pickle (tensor data that happens to
   * start like one): then nothing is reported unless a global is named.
   */
  static void walk(Content c, ScanContext ctx, InputStream in, long base, boolean strict)
      throws IOException {
    PickleWalker walker = new PickleWalker(ctx.limits().pickleOps(), ctx.limits().pickleEntries());
    Imports seen = new Imports(c, base);
    int count;
    try {
      PickleInput pin = new PickleInput(in, PickleFrame.Loader.IN_MEMORY);
      count = walkAll(c, ctx, walker, pin, base, strict, seen);
      if (pin.frameCrossed()) {
        // pickle.load(file) reads such a pickle differently from pickle.loads(bytes): walk it the
        // file loader's way too, so what either runs is reported.
        ctx.finding(
            c,
            "pickle.frame-split",
            Severity.MEDIUM,
            "",
            "an opcode argument crosses the end of a FRAME: pickle.load from a file reads other"
                + " opcodes than pickle.loads from bytes; both readings were scanned");
        try (InputStream again = c.open()) {
          again.skipNBytes(base);
          walkAll(
              c, ctx, walker, new PickleInput(again, PickleFrame.Loader.FILE), base, strict, seen);
        }
      }
    } finally {
      seen.report(ctx);
    }
    if (count > 1) {
      ctx.finding(
          c,
          "pickle.stacked",
          Severity.INFO,
          "",
          count + " pickles follow one another; each was scanned");
    }
  }

  /** Walks the pickles of {@code pin} into {@code seen}; returns how many there were. */
  private static int walkAll(
      Content c,
      ScanContext ctx,
      PickleWalker walker,
      PickleInput pin,
      long base,
      boolean strict,
      Imports seen)
      throws IOException {
    int count = 0;
    boolean speculative = !strict;
    while (pin.peek() >= 0) {
      if (count >= MAX_STACKED) {
        throw new ScanLimitException("more than " + MAX_STACKED + " stacked pickles");
      }
      Imports walkImports = new Imports(c, base);
      PickleWalk w = walker.walk(pin, walkImports);
      boolean named = walkImports.namesPythonGlobal();
      if (speculative && w.end() != PickleWalk.End.STOP && !named) {
        break; // data, not a pickle
      }
      count++;
      seen.merge(walkImports);
      if (w.end() == PickleWalk.End.STOP) {
        speculative = true;
        continue;
      }
      String at = "pickle " + count + ", offset " + (base + w.offset());
      if (w.end() == PickleWalk.End.LIMIT) {
        ctx.finding(
            c,
            "pickle.limit",
            Severity.MEDIUM,
            at,
            w.reason() + "; the rest of the pickle is not scanned");
      } else {
        ctx.finding(
            c,
            "pickle.malformed",
            Severity.MEDIUM,
            at,
            "pickle breaks off ("
                + w.reason()
                + "); a loader runs everything before this point, then fails");
      }
      break;
    }
    return count;
  }

  /** The globals one content names, first offset and count per name, in order met. */
  private static final class Imports implements PickleListener {
    private final Content c;
    private final long base;
    private final Map<String, Seen> globals = new LinkedHashMap<>();
    private final List<String[]> unnamed = new ArrayList<>();
    private final List<String[]> joblibFiles = new ArrayList<>();

    Imports(Content c, long base) {
      this.c = c;
      this.base = base;
    }

    /** True when a global with a Python-identifier module and name was met (not random bytes). */
    boolean namesPythonGlobal() {
      for (Seen s : globals.values()) {
        if (identifiers(s.module) && identifiers(s.name)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void global(long offset, String opcode, String module, String name) {
      String key = module + "\n" + name;
      Seen s = globals.get(key);
      if (s == null) {
        globals.put(key, new Seen(module, name, opcode, base + offset));
      } else {
        s.count++;
      }
    }

    @Override
    public void unnamedGlobal(long offset, String reason) {
      unnamed.add(new String[] {Long.toString(base + offset), reason});
    }

    @Override
    public void extension(long offset, long code) {
      unnamed.add(
          new String[] {
            Long.toString(base + offset),
            "imports extension code " + code + " from the copyreg registry (any registered global)"
          });
    }

    @Override
    public void joblibFile(long offset, String wrapper, String filename) {
      joblibFiles.add(new String[] {Long.toString(base + offset), wrapper, filename});
    }

    /** A file name joblib joins to the pickle's directory and stays there: one plain name. */
    private static boolean plainSibling(String f) {
      return f != null
          && !f.isEmpty()
          && f.length() <= 255
          && !f.equals(".")
          && !f.equals("..")
          && f.indexOf('/') < 0
          && f.indexOf('\\') < 0
          && f.indexOf(':') < 0
          && f.indexOf('\0') < 0;
    }

    void merge(Imports other) {
      for (Map.Entry<String, Seen> e : other.globals.entrySet()) {
        Seen mine = globals.get(e.getKey());
        if (mine == null) {
          globals.put(e.getKey(), e.getValue());
        } else {
          mine.count += e.getValue().count;
        }
      }
      unnamed.addAll(other.unnamed);
      joblibFiles.addAll(other.joblibFiles);
    }

    void report(ScanContext ctx) {
      // joblib < 0.10 kept arrays in files beside the pickle: each wrapper's BUILD reads the file
      // its state names (NDArrayWrapper with numpy.load(allow_pickle=True)). Beside the pickle,
      // that file is part of the model and scanned with it: low. Anything else reads elsewhere.
      boolean filesBeside = !joblibFiles.isEmpty();
      for (String[] f : joblibFiles) {
        filesBeside &= plainSibling(f[2]);
      }
      for (String[] f : joblibFiles) {
        String at = "BUILD at offset " + f[0];
        if (plainSibling(f[2])) {
          ctx.finding(
              c,
              "pickle.joblib-file",
              Severity.LOW,
              at,
              "joblib's "
                  + f[1]
                  + " (joblib < 0.10) loads the array file "
                  + dev.modelseal.Quoted.of(f[2])
                  + " beside this pickle"
                  + (f[1].equals("NDArrayWrapper") ? " with numpy.load(allow_pickle=True)" : "")
                  + "; keep it with the model and scan it too");
        } else {
          ctx.finding(
              c,
              "pickle.joblib-file",
              Severity.HIGH,
              at,
              "joblib's "
                  + f[1]
                  + " makes joblib.load read "
                  + (f[2] == null
                      ? "a file the scanner cannot name"
                      : "the file "
                          + dev.modelseal.Quoted.of(f[2])
                          + ", not a plain name beside the pickle")
                  + "; loading reads it");
        }
      }
      for (Seen s : globals.values()) {
        ImportRating rating = ImportPolicy.rate(s.module, s.name);
        if (rating == ImportRating.UNKNOWN
            && s.name.indexOf('.') < 0
            && ctx.definesTorchScriptModule(s.module)) {
          rating = ImportRating.SAFE; // a class of the archive's own TorchScript code
        }
        if (filesBeside && PickleWalker.isFileWrapper(s.module, s.name)) {
          ctx.imported(
              new PickleImport(
                  c.file(), c.at(s.opcode + " at offset " + s.offset), s.module, s.name, rating));
          continue; // rated by the files it reads (above)
        }
        String at = s.opcode + " at offset " + s.offset;
        ctx.imported(new PickleImport(c.file(), c.at(at), s.module, s.name, rating));
        String times = s.count > 1 ? " (" + s.count + " times)" : "";
        String what = printable(s.module) + "." + printable(s.name);
        if (rating == ImportRating.DANGEROUS) {
          ctx.finding(
              c,
              "pickle.dangerous-import",
              Severity.CRITICAL,
              at,
              "imports " + what + times + ", a known way to run code or commands on load");
        } else if (rating == ImportRating.NATIVE) {
          ctx.finding(
              c,
              "pickle.native-class",
              Severity.LOW,
              at,
              "imports "
                  + what
                  + times
                  + ": an object of a TorchScript custom class, rebuilt by that class's native"
                  + " __setstate__ (registered by PyTorch or a loaded library; torch.load with"
                  + " weights_only=True refuses it)");
        } else if (rating == ImportRating.TORCH_MODULE) {
          ctx.finding(
              c,
              "pickle.torch-module",
              Severity.LOW,
              at,
              "imports "
                  + what
                  + times
                  + ": one of PyTorch's own torch.nn module classes, a whole pickled module"
                  + " rebuilt from its attributes (torch.load needs weights_only=False for it,"
                  + " which lets every other global of the file run too)");
        } else if (rating == ImportRating.UNKNOWN) {
          ctx.finding(
              c,
              "pickle.unknown-import",
              Severity.HIGH,
              at,
              "imports "
                  + what
                  + times
                  + ", which is not on the allowlist of tensor and container builders;"
                  + " loading runs it");
        }
      }
      for (String[] u : unnamed) {
        ctx.finding(
            c,
            "pickle.unnamed-import",
            Severity.HIGH,
            "offset " + u[0],
            u[1] + "; loading runs it");
      }
    }
  }

  private static final class Seen {
    final String module;
    final String name;
    final String opcode;
    final long offset;
    int count = 1;

    Seen(String module, String name, String opcode, long offset) {
      this.module = module;
      this.name = name;
      this.opcode = opcode;
      this.offset = offset;
    }
  }

  /** True for a dotted Python identifier such as {@code torch._utils} ({@code a-z A-Z 0-9 _ .}). */
  static boolean identifiers(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || Character.isDigit(s.charAt(0))) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '_'
              || ch == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && i < 200; i++) {
      char ch = s.charAt(i);
      sb.append(ch < 0x20 || ch == 0x7F ? '?' : ch);
    }
    if (s.length() > 200) {
      sb.append("...");
    }
    return sb.toString();
  }
}
