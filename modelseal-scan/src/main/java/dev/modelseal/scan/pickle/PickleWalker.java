package dev.modelseal.scan.pickle;

import dev.modelseal.formats.pickle.JoblibArray;
import dev.modelseal.formats.pickle.PickleConsumer;
import dev.modelseal.formats.pickle.PickleDecoder;
import dev.modelseal.formats.pickle.PickleException;
import dev.modelseal.formats.pickle.PickleInput;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PyNone;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scanner's consumer of the {@link PickleDecoder}: it walks the opcodes of one pickle
 * (protocols 0 to 5, with or without the PROTO header) without building any object, and reports
 * every GLOBAL, INST, STACK_GLOBAL and EXT to a {@link PickleListener} with its opcode offset as it
 * is met, so imports before a broken opcode are reported before the walk ends there. The decoder
 * keeps the stack and memo, so STACK_GLOBAL operands are named even when they come from the memo
 * (BINGET after BINPUT or MEMOIZE); it reads the stream as the loader of its {@link PickleInput}
 * does around FRAME boundaries and records where the two loaders would differ.
 *
 * <p>joblib: after the {@code BUILD} of a {@code NumpyArrayWrapper} the walk steps over the array
 * that {@code joblib.dump} wrote inline, exactly as joblib's {@code NumpyUnpickler} reads it
 * ({@link JoblibArray}: padding, data, or for an object array a nested pickle, which is walked),
 * and goes on after it. For that it keeps small values (integers, short tuples and dicts, globals,
 * {@code numpy.dtype} calls) besides short strings; every other container is opaque. The BUILD of
 * joblib's pre-0.10 {@code NDArrayWrapper}/{@code ZNDArrayWrapper}, which makes joblib read another
 * file, is reported with the file name its state gives ({@link PickleListener#joblibFile}).
 *
 * <p>Bounded: DUP and GET push a reference, never a copy, so expansion bombs cost nothing; strings
 * longer than {@value #MAX_TEXT} bytes and all bytes values are stepped over rather than held; the
 * opcode count and stack/memo sizes are limited. Nothing is executed, imported or deserialized.
 */
public final class PickleWalker {
  /** Longest string kept as a possible STACK_GLOBAL operand; longer strings are skipped. */
  public static final int MAX_TEXT = 4096;

  private static final Object OTHER = new Object();

  /** Most items a tuple or dict is tracked with; larger ones are opaque. */
  private static final int SMALL = 32;

  private final PickleLimits limits;

  /** A walker with the given opcode and stack/memo limits. */
  public PickleWalker(long maxOps, int maxEntries) {
    if (maxOps < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("pickle limits must be positive");
    }
    this.limits =
        PickleLimits.builder()
            .opcodes(maxOps)
            .stack(maxEntries)
            .memo(maxEntries)
            .stringBytes(MAX_TEXT)
            .build();
  }

  /**
   * Walks one pickle from the current position of {@code in} until STOP (or until it cannot go on),
   * reporting imports to {@code listener}. I/O failures of the underlying stream propagate;
   * everything about the bytes themselves is in the returned {@link PickleWalk}.
   */
  public PickleWalk walk(PickleInput in, PickleListener listener) throws IOException {
    long start = in.offset();
    PickleDecoder<RuntimeException> d =
        new PickleDecoder<>(in, limits, new Imports(listener), PickleDecoder.Options.SCAN);
    try {
      d.decode();
      return new PickleWalk(PickleWalk.End.STOP, start, in.offset(), d.protocol(), d.opcodes(), "");
    } catch (PickleException e) {
      PickleWalk.End end =
          switch (e.kind()) {
            case TRUNCATED -> PickleWalk.End.TRUNCATED;
            case LIMIT -> PickleWalk.End.LIMIT;
            case MALFORMED, UNSUPPORTED -> PickleWalk.End.MALFORMED;
          };
      return new PickleWalk(
          end, start, d.opcodeOffset(), d.protocol(), d.opcodes(), e.getMessage());
    }
  }

  /** A global named by GLOBAL, INST or STACK_GLOBAL. */
  private record Global(String module, String name) {
    boolean is(String m, String n) {
      return module.equals(m) && name.equals(n);
    }
  }

  /** A tuple of at most {@code 2 * SMALL} items. */
  private record Tuple(List<Object> items) {}

  /** A dict with short-string keys, tracked up to {@link #SMALL} entries. */
  private static final class Dict {
    final Map<String, Object> entries = new HashMap<>();

    void put(Object key, Object value) {
      if (key instanceof String k && (entries.size() < SMALL || entries.containsKey(k))) {
        entries.put(k, value);
      }
    }

    void putAll(List<Object> kv) {
      for (int i = 0; i + 1 < kv.size(); i += 2) {
        put(kv.get(i), kv.get(i + 1));
      }
    }
  }

  /** A {@code joblib.numpy_pickle.NumpyArrayWrapper} instance, before its BUILD. */
  private static final class Wrapper {}

  /** One of joblib's pre-0.10 wrappers of an array kept in another file, before its BUILD. */
  private record FileWrapper(String name) {}

  /** joblib's pre-0.10 wrappers whose BUILD reads the file their state names. */
  public static boolean isFileWrapper(String module, String name) {
    return (module.equals("joblib.numpy_pickle")
            || module.equals("joblib.numpy_pickle_compat")
            || module.equals("sklearn.externals.joblib.numpy_pickle"))
        && (name.equals("NDArrayWrapper") || name.equals("ZNDArrayWrapper"));
  }

  /** A {@code numpy.dtype(descr, ...)} call; its BUILD state may give the element size. */
  private static final class Dtype {
    final String descr;
    long elsize = -1;

    Dtype(String descr) {
      this.descr = descr;
    }
  }

  /** Reports imports and tracks the few values joblib's inline arrays need. */
  private static final class Imports implements PickleConsumer<RuntimeException> {
    private final PickleListener l;

    Imports(PickleListener l) {
      this.l = l;
    }

    @Override
    public Object global(String module, String name, String opcode, long offset) {
      l.global(offset, opcode, module, name);
      return new Global(module, name);
    }

    @Override
    public Object unnamedGlobal(String opcode, String reason, long offset) {
      l.unnamedGlobal(offset, reason);
      return OTHER;
    }

    @Override
    public Object extension(long code, String opcode, long offset) {
      l.extension(offset, code);
      return OTHER;
    }

    @Override
    public Object call(Object callable, Object args, Object kwargs, String opcode, long offset) {
      return made(callable, args);
    }

    @Override
    public Object persistentLoad(Object pid, long offset) {
      return OTHER;
    }

    @Override
    public Object nextBuffer(long offset) {
      return OTHER; // a loader given buffers reads on
    }

    @Override
    public Object build(Object target, Object state, Inline<RuntimeException> inline, long offset)
        throws PickleException, IOException {
      if (target instanceof Wrapper) {
        joblibArray(inline, state, offset);
        return OTHER;
      }
      if (target instanceof FileWrapper w) {
        Object f = state instanceof Dict d ? d.entries.get("filename") : null;
        l.joblibFile(offset, w.name(), f instanceof String s ? s : null);
        return OTHER;
      }
      if (target instanceof Dtype d
          && state instanceof Tuple t
          && t.items().size() > 5
          && t.items().get(5) instanceof Long size) {
        d.elsize = size;
      }
      return target;
    }

    @Override
    public Object tuple(List<Object> items) {
      return items.size() <= 2 * SMALL ? new Tuple(List.copyOf(items)) : OTHER;
    }

    @Override
    public Object list(List<Object> items) {
      return OTHER;
    }

    @Override
    public Object dict(List<Object> keysAndValues) {
      Dict d = new Dict();
      d.putAll(keysAndValues);
      return d;
    }

    @Override
    public Object set(List<Object> items, boolean frozen) {
      return OTHER;
    }

    @Override
    public boolean append(Object target, List<Object> items) {
      return true; // CPython calls target.append: any object may have one
    }

    @Override
    public boolean setItems(Object target, List<Object> keysAndValues) {
      if (target instanceof Dict d) {
        d.putAll(keysAndValues);
      }
      return true;
    }

    @Override
    public boolean addItems(Object target, List<Object> items) {
      return true;
    }
  }

  /** What a call of {@code callable} with {@code args} makes, as far as it matters. */
  private static Object made(Object callable, Object args) {
    if (callable instanceof Global g) {
      if (JoblibArray.isWrapper(g.module(), g.name())) {
        return new Wrapper();
      }
      if (isFileWrapper(g.module(), g.name())) {
        return new FileWrapper(g.name());
      }
      if (g.is("numpy", "dtype")
          && args instanceof Tuple t
          && !t.items().isEmpty()
          && t.items().get(0) instanceof String descr) {
        return new Dtype(descr);
      }
      if (g.is("copyreg", "_reconstructor")
          && args instanceof Tuple t
          && !t.items().isEmpty()
          && t.items().get(0) instanceof Global cls) {
        // protocols 0 and 1
        if (JoblibArray.isWrapper(cls.module(), cls.name())) {
          return new Wrapper();
        }
        if (isFileWrapper(cls.module(), cls.name())) {
          return new FileWrapper(cls.name());
        }
      }
    }
    return OTHER;
  }

  /**
   * Steps over the array joblib wrote after the BUILD of a NumpyArrayWrapper with {@code state}, as
   * joblib's NumpyUnpickler reads it; an object array's nested pickle is walked.
   */
  private static void joblibArray(
      PickleConsumer.Inline<RuntimeException> in, Object state, long offset)
      throws IOException, PickleException {
    if (!(state instanceof Dict d)) {
      throw PickleException.malformed("joblib NumpyArrayWrapper state is not a dict", offset);
    }
    if (!(d.entries.get("shape") instanceof Tuple shape)
        || !(d.entries.get("dtype") instanceof Dtype dtype)
        || !(d.entries.get("order") instanceof String order)) {
      throw PickleException.malformed(
          "joblib NumpyArrayWrapper state has no shape, dtype or order", offset);
    }
    Object alignment = d.entries.get("numpy_array_alignment_bytes");
    JoblibArray a;
    try {
      a =
          JoblibArray.of(
              shape.items(),
              dtype.descr,
              dtype.elsize,
              order,
              alignment != null && alignment != PyNone.NONE);
    } catch (IllegalArgumentException e) {
      throw PickleException.malformed("joblib array: " + e.getMessage(), offset);
    }
    long left = in.frameLeft();
    if (left > 0) {
      throw PickleException.malformed(
          "joblib array data starts with "
              + left
              + " bytes of its FRAME left (joblib reads them after the array)",
          offset);
    }
    if (a.objects()) {
      in.pickle();
      return;
    }
    if (a.padded()) {
      in.skip(in.read());
    }
    in.skip(a.dataBytes());
  }
}
