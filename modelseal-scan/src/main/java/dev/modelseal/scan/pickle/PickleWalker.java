package dev.modelseal.scan.pickle;

import dev.modelseal.formats.pickle.JoblibArray;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the opcodes of one pickle (protocols 0 to 5, with or without the PROTO header) without
 * building any object: it tracks which stack slots hold short strings, so that STACK_GLOBAL
 * operands can be named even when they come from the memo (BINGET after BINPUT or MEMOIZE). Every
 * GLOBAL, INST and STACK_GLOBAL is reported to a {@link PickleListener} with its opcode offset as
 * it is met, so imports before a broken opcode are reported before the walk ends there.
 *
 * <p>joblib: after the {@code BUILD} of a {@code NumpyArrayWrapper} the walk steps over the array
 * that {@code joblib.dump} wrote inline, exactly as joblib's {@code NumpyUnpickler} reads it
 * ({@link JoblibArray}: padding, data, or for an object array a nested pickle, which is walked),
 * and goes on after it. For that it keeps small values (integers, short tuples and dicts, globals,
 * {@code numpy.dtype} calls) besides short strings.
 *
 * <p>Bounded: each opcode costs constant memory and time (DUP and GET push a reference, never a
 * copy, so expansion bombs cost nothing), strings longer than {@value #MAX_TEXT} bytes are skipped
 * rather than held, and the opcode count and stack/memo sizes are limited. Nothing is executed,
 * imported or deserialized.
 */
public final class PickleWalker {
  /** Longest string kept as a possible STACK_GLOBAL operand; longer strings are skipped. */
  public static final int MAX_TEXT = 4096;

  private static final Object OTHER = new Object();
  private static final Object LONG_TEXT = new Object();
  private static final Object NONE = new Object();

  /** Most items a tuple or dict is tracked with; larger ones are opaque. */
  private static final int SMALL = 32;

  /** Deepest nesting of joblib object arrays (each a pickle inside the pickle). */
  private static final int MAX_NESTED = 8;

  /** A global named by GLOBAL or STACK_GLOBAL. */
  private record Global(String module, String name) {
    boolean is(String m, String n) {
      return module.equals(m) && name.equals(n);
    }
  }

  /** A tuple of at most {@link #SMALL} items. */
  private record Tuple(List<Object> items) {}

  /** A dict with short-string keys, tracked up to {@link #SMALL} entries. */
  private static final class Dict {
    final Map<String, Object> entries = new HashMap<>();

    void put(Object key, Object value) {
      if (key instanceof String k && (entries.size() < SMALL || entries.containsKey(k))) {
        entries.put(k, value);
      }
    }
  }

  /** A {@code joblib.numpy_pickle.NumpyArrayWrapper} instance, before its BUILD. */
  private static final class Wrapper {}

  /** A {@code numpy.dtype(descr, ...)} call; its BUILD state may give the element size. */
  private static final class Dtype {
    final String descr;
    long elsize = -1;

    Dtype(String descr) {
      this.descr = descr;
    }
  }

  private final long maxOps;
  private final int maxEntries;

  /** A walker with the given opcode and stack/memo limits. */
  public PickleWalker(long maxOps, int maxEntries) {
    if (maxOps < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("pickle limits must be positive");
    }
    this.maxOps = maxOps;
    this.maxEntries = maxEntries;
  }

  /**
   * Walks one pickle from the current position of {@code in} until STOP (or until it cannot go on),
   * reporting imports to {@code listener}. I/O failures of the underlying stream propagate;
   * everything about the bytes themselves is in the returned {@link PickleWalk}.
   */
  public PickleWalk walk(PickleInput in, PickleListener listener) throws IOException {
    State s = new State(in.offset(), 0);
    try {
      return run(in, listener, s);
    } catch (EOFException e) {
      return new PickleWalk(
          PickleWalk.End.TRUNCATED, s.start, s.opOffset, s.protocol, s.ops, e.getMessage());
    } catch (Malformed e) {
      return new PickleWalk(
          PickleWalk.End.MALFORMED, s.start, s.opOffset, s.protocol, s.ops, e.getMessage());
    } catch (Limit e) {
      return new PickleWalk(
          PickleWalk.End.LIMIT, s.start, s.opOffset, s.protocol, s.ops, e.getMessage());
    }
  }

  private static final class State {
    final long start;
    final int depth;
    final List<Object> stack = new ArrayList<>();
    final Map<Long, Object> memo = new HashMap<>();
    int[] marks = new int[16];
    int markCount;
    long opOffset;
    int protocol;
    long ops;

    State(long start, int depth) {
      this.start = start;
      this.depth = depth;
      this.opOffset = start;
    }
  }

  private PickleWalk run(PickleInput in, PickleListener l, State s) throws IOException {
    while (true) {
      s.opOffset = in.offset();
      int op = in.read();
      if (op < 0) {
        throw new EOFException(
            s.ops == 0 ? "empty pickle" : "pickle ends before STOP (no STOP opcode)");
      }
      if (++s.ops > maxOps) {
        throw new Limit("more than " + maxOps + " pickle opcodes");
      }
      switch (op) {
        case '.' -> {
          pop(s, 1);
          return new PickleWalk(PickleWalk.End.STOP, s.start, in.offset(), s.protocol, s.ops, "");
        }
        case 0x80 -> {
          int p = in.readByte();
          if (p > 5) {
            throw new Malformed("unsupported pickle protocol " + p);
          }
          s.protocol = p;
        }
        case 0x95 -> in.frame(in.readLe(8)); // FRAME: CPython buffers its bytes
        case '(' -> mark(s);
        case '0' -> {
          if (s.stack.size() > base(s)) {
            pop(s, 1);
          } else {
            popMark(s);
          }
        }
        case '1' -> popMark(s);
        case '2' -> {
          need(s, 1);
          push(s, s.stack.get(s.stack.size() - 1));
        }
        case 'F', 'L' -> {
          number(line(in, MAX_TEXT));
          push(s, OTHER);
        }
        case 'I' -> {
          String line = line(in, MAX_TEXT);
          number(line);
          push(s, intLine(line));
        }
        case 'J' -> push(s, (long) (int) in.readLe(4));
        case 'K' -> push(s, in.readLe(1));
        case 'M' -> push(s, in.readLe(2));
        case 'G' -> scalar(in, s, 8);
        case 'N' -> push(s, NONE);
        case 0x88 -> push(s, Boolean.TRUE);
        case 0x89 -> push(s, Boolean.FALSE);
        case 0x8a -> {
          long n = in.readLe(1);
          if (n >= 1 && n <= 8) {
            long v = in.readLe((int) n);
            int shift = 64 - 8 * (int) n;
            push(s, (v << shift) >> shift);
          } else {
            in.skip(n);
            push(s, n == 0 ? (Object) 0L : OTHER);
          }
        }
        case 0x8b -> {
          in.skip(signed4(in.readLe(4)));
          push(s, OTHER);
        }
        case 'P' -> {
          line(in, Integer.MAX_VALUE - 8);
          push(s, OTHER);
        }
        case 'Q' -> {
          pop(s, 1);
          push(s, OTHER);
        }
        case 'S' -> push(s, quoted(line(in, MAX_TEXT)));
        case 'V' -> push(s, textOrLong(line(in, MAX_TEXT)));
        case 'T' -> push(s, text(in, signed4(in.readLe(4)), StandardCharsets.ISO_8859_1));
        case 'U' -> push(s, text(in, in.readLe(1), StandardCharsets.ISO_8859_1));
        case 'X' -> push(s, text(in, in.readLe(4), StandardCharsets.UTF_8));
        case 0x8c -> push(s, text(in, in.readLe(1), StandardCharsets.UTF_8));
        case 0x8d -> push(s, text(in, in.readLe(8), StandardCharsets.UTF_8));
        case 'B' -> bytes(in, s, in.readLe(4));
        case 'C' -> bytes(in, s, in.readLe(1));
        case 0x8e, 0x96 -> bytes(in, s, in.readLe(8));
        case 0x97 -> push(s, OTHER); // NEXT_BUFFER
        case 0x98 -> need(s, 1); // READONLY_BUFFER
        case 'c' -> {
          String module = line(in, MAX_TEXT);
          String name = line(in, MAX_TEXT);
          named(l, s, "GLOBAL", module, name);
          push(s, module != null && name != null ? new Global(module, name) : OTHER);
        }
        case 'i' -> {
          String module = line(in, MAX_TEXT);
          String name = line(in, MAX_TEXT);
          named(l, s, "INST", module, name);
          popMark(s);
          push(s, OTHER);
        }
        case 0x93 -> {
          need(s, 2);
          Object name = s.stack.remove(s.stack.size() - 1);
          Object module = s.stack.remove(s.stack.size() - 1);
          if (module instanceof String m && name instanceof String n) {
            l.global(s.opOffset, "STACK_GLOBAL", m, n);
            push(s, new Global(m, n));
          } else {
            l.unnamedGlobal(s.opOffset, "STACK_GLOBAL operands are not both short strings");
            push(s, OTHER);
          }
        }
        case 0x82 -> extension(l, s, in.readLe(1));
        case 0x83 -> extension(l, s, in.readLe(2));
        case 0x84 -> extension(l, s, signed4(in.readLe(4)));
        case 'R', 0x81 -> {
          need(s, 2);
          Object args = popOne(s);
          push(s, made(popOne(s), args));
        }
        case 0x92 -> {
          need(s, 3);
          popOne(s);
          Object args = popOne(s);
          push(s, made(popOne(s), args));
        }
        case 'o' -> {
          int from = popMark(s);
          if (from < 1) {
            throw new Malformed("OBJ without a class");
          }
          push(s, OTHER);
        }
        case 'b' -> {
          need(s, 2);
          Object state = popOne(s);
          Object target = s.stack.get(s.stack.size() - 1);
          if (target instanceof Wrapper) {
            joblibArray(in, l, s, state);
            s.stack.set(s.stack.size() - 1, OTHER);
          } else if (target instanceof Dtype d
              && state instanceof Tuple t
              && t.items().size() > 5
              && t.items().get(5) instanceof Long size) {
            d.elsize = size;
          }
        }
        case 'a' -> {
          pop(s, 1);
          need(s, 1);
        }
        case 's' -> {
          need(s, 3);
          Object v = popOne(s);
          Object k = popOne(s);
          if (s.stack.get(s.stack.size() - 1) instanceof Dict d) {
            d.put(k, v);
          }
        }
        case 'u' -> {
          List<Object> items = popMarkItems(s);
          need(s, 1);
          if (s.stack.get(s.stack.size() - 1) instanceof Dict d && items != null) {
            for (int i = 0; i + 1 < items.size(); i += 2) {
              d.put(items.get(i), items.get(i + 1));
            }
          }
        }
        case 'e', 0x90 -> {
          popMark(s);
          need(s, 1);
        }
        case '}' -> push(s, new Dict());
        case ')' -> push(s, new Tuple(List.of()));
        case ']', 0x8f -> push(s, OTHER);
        case 'd' -> {
          List<Object> items = popMarkItems(s);
          Dict d = new Dict();
          if (items != null) {
            for (int i = 0; i + 1 < items.size(); i += 2) {
              d.put(items.get(i), items.get(i + 1));
            }
          }
          push(s, d);
        }
        case 't' -> {
          List<Object> items = popMarkItems(s);
          push(s, items == null ? OTHER : new Tuple(items));
        }
        case 'l', 0x91 -> {
          popMark(s);
          push(s, OTHER);
        }
        case 0x85 -> tuple(s, 1);
        case 0x86 -> tuple(s, 2);
        case 0x87 -> tuple(s, 3);
        case 'p' -> put(s, memoKey(line(in, MAX_TEXT)));
        case 'q' -> put(s, in.readLe(1));
        case 'r' -> put(s, in.readLe(4));
        case 0x94 -> put(s, s.memo.size());
        case 'g' -> get(s, memoKey(line(in, MAX_TEXT)));
        case 'h' -> get(s, in.readLe(1));
        case 'j' -> get(s, in.readLe(4));
        default -> throw new Malformed(String.format("unknown opcode 0x%02x", op));
      }
    }
  }

  private static void named(PickleListener l, State s, String opcode, String module, String name)
      throws Malformed {
    if (module == null || name == null) {
      l.unnamedGlobal(
          s.opOffset, opcode + " names a module or attribute over " + MAX_TEXT + " bytes");
      return;
    }
    l.global(s.opOffset, opcode, module, name);
  }

  private void extension(PickleListener l, State s, long code) throws Limit {
    l.extension(s.opOffset, code);
    push(s, OTHER);
  }

  private static String line(PickleInput in, int max) throws IOException {
    return in.readLine(max);
  }

  private static long signed4(long v) throws Malformed {
    if (v > Integer.MAX_VALUE) {
      throw new Malformed("negative length in a pickle opcode");
    }
    return v;
  }

  private void scalar(PickleInput in, State s, int n) throws IOException {
    in.skip(n);
    push(s, OTHER);
  }

  private void bytes(PickleInput in, State s, long n) throws IOException {
    in.skip(n);
    push(s, OTHER);
  }

  private static Object text(PickleInput in, long n, java.nio.charset.Charset cs)
      throws IOException {
    if (n < 0 || n > MAX_TEXT) {
      in.skip(n);
      return LONG_TEXT;
    }
    return new String(in.readBytes((int) n), cs);
  }

  private static Object textOrLong(String line) {
    return line == null ? LONG_TEXT : line;
  }

  /** The text of a STRING argument, which the loader requires to be quoted. */
  private static Object quoted(String line) throws Malformed {
    if (line == null) {
      return LONG_TEXT;
    }
    if (line.length() >= 2
        && (line.charAt(0) == '\'' || line.charAt(0) == '"')
        && line.charAt(line.length() - 1) == line.charAt(0)) {
      return line.substring(1, line.length() - 1);
    }
    throw new Malformed("STRING argument is not quoted");
  }

  /** Fails on an INT, LONG or FLOAT argument no Python number parser accepts. */
  private static void number(String line) throws Malformed {
    if (line == null) {
      return;
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || c == '+'
              || c == '-'
              || c == '.'
              || c == '_'
              || c == ' '
              || c == '\t'
              || "eELinfaINFAty".indexOf(c) >= 0;
      if (!ok) {
        throw new Malformed("number argument is not a number");
      }
    }
  }

  private static long memoKey(String line) throws Malformed {
    if (line == null || line.isEmpty() || line.length() > 18) {
      throw new Malformed("memo key is not a number");
    }
    long v = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw new Malformed("memo key is not a number");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private void put(State s, long key) throws Malformed, Limit {
    need(s, 1);
    if (!s.memo.containsKey(key) && s.memo.size() >= maxEntries) {
      throw new Limit("more than " + maxEntries + " pickle memo entries");
    }
    s.memo.put(key, s.stack.get(s.stack.size() - 1));
  }

  private void get(State s, long key) throws Malformed, Limit {
    Object v = s.memo.get(key);
    if (v == null) {
      throw new Malformed("memo key " + key + " was never stored");
    }
    push(s, v);
  }

  private void tuple(State s, int n) throws Malformed, Limit {
    need(s, n);
    List<Object> top = s.stack.subList(s.stack.size() - n, s.stack.size());
    Tuple t = new Tuple(List.copyOf(top));
    top.clear();
    push(s, t);
  }

  /** An INT line's value when it is a plain decimal that fits a long, else an opaque value. */
  private static Object intLine(String line) {
    if ("01".equals(line)) {
      return Boolean.TRUE;
    }
    if ("00".equals(line)) {
      return Boolean.FALSE;
    }
    if (line == null || line.isEmpty() || line.length() > 18) {
      return OTHER;
    }
    int i = line.charAt(0) == '-' ? 1 : 0;
    if (i == line.length()) {
      return OTHER;
    }
    long v = 0;
    for (; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return OTHER;
      }
      v = v * 10 + (c - '0');
    }
    return line.charAt(0) == '-' ? -v : v;
  }

  /** What REDUCE or NEWOBJ of {@code callable} with {@code args} makes, as far as it matters. */
  private static Object made(Object callable, Object args) {
    if (callable instanceof Global g) {
      if (JoblibArray.isWrapper(g.module(), g.name())) {
        return new Wrapper();
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
          && t.items().get(0) instanceof Global cls
          && JoblibArray.isWrapper(cls.module(), cls.name())) {
        return new Wrapper(); // protocols 0 and 1
      }
    }
    return OTHER;
  }

  /**
   * Steps over the array joblib wrote after the BUILD of a NumpyArrayWrapper with {@code state}, as
   * joblib's NumpyUnpickler reads it; an object array's nested pickle is walked.
   */
  private void joblibArray(PickleInput in, PickleListener l, State s, Object state)
      throws IOException {
    if (!(state instanceof Dict d)) {
      throw new Malformed("joblib NumpyArrayWrapper state is not a dict");
    }
    if (!(d.entries.get("shape") instanceof Tuple shape)
        || !(d.entries.get("dtype") instanceof Dtype dtype)
        || !(d.entries.get("order") instanceof String order)) {
      throw new Malformed("joblib NumpyArrayWrapper state has no shape, dtype or order");
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
              alignment != null && alignment != NONE);
    } catch (IllegalArgumentException e) {
      throw new Malformed("joblib array: " + e.getMessage());
    }
    long left = in.frameLeft();
    if (left > 0) {
      throw new Malformed(
          "joblib array data starts with "
              + left
              + " bytes of its FRAME left (joblib reads them"
              + " after the array)");
    }
    if (a.objects()) {
      if (s.depth >= MAX_NESTED) {
        throw new Limit("joblib object arrays nested more than " + MAX_NESTED + " deep");
      }
      State nested = new State(in.offset(), s.depth + 1);
      nested.ops = s.ops;
      run(in, l, nested);
      s.ops = nested.ops;
      return;
    }
    if (a.padded()) {
      in.skip(in.readByte());
    }
    in.skip(a.dataBytes());
  }

  private static Object popOne(State s) {
    return s.stack.remove(s.stack.size() - 1);
  }

  /** Removes the items above the top mark and the mark; returns them, or null when many. */
  private static List<Object> popMarkItems(State s) throws Malformed {
    if (s.markCount == 0) {
      throw new Malformed("opcode needs a MARK and there is none");
    }
    int at = s.marks[s.markCount - 1];
    List<Object> top = s.stack.subList(at, s.stack.size());
    List<Object> items = top.size() <= 2 * SMALL ? List.copyOf(top) : null;
    popMark(s);
    return items;
  }

  private void push(State s, Object v) throws Limit {
    if (s.stack.size() + s.markCount >= maxEntries) {
      throw new Limit("more than " + maxEntries + " pickle stack entries");
    }
    s.stack.add(v);
  }

  private void mark(State s) throws Limit {
    if (s.stack.size() + s.markCount >= maxEntries) {
      throw new Limit("more than " + maxEntries + " pickle stack entries");
    }
    if (s.markCount == s.marks.length) {
      s.marks = java.util.Arrays.copyOf(s.marks, s.marks.length * 2);
    }
    s.marks[s.markCount++] = s.stack.size();
  }

  private static int base(State s) {
    return s.markCount == 0 ? 0 : s.marks[s.markCount - 1];
  }

  /** Removes the items above the top mark and the mark; returns how many items there were. */
  private static int popMark(State s) throws Malformed {
    if (s.markCount == 0) {
      throw new Malformed("opcode needs a MARK and there is none");
    }
    int at = s.marks[--s.markCount];
    int n = s.stack.size() - at;
    s.stack.subList(at, s.stack.size()).clear();
    return n;
  }

  private static void need(State s, int n) throws Malformed {
    if (s.stack.size() - base(s) < n) {
      throw new Malformed("stack underflow");
    }
  }

  private static void pop(State s, int n) throws Malformed {
    need(s, n);
    for (int i = 0; i < n; i++) {
      s.stack.remove(s.stack.size() - 1);
    }
  }

  private static final class Malformed extends IOException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private static final class Limit extends IOException {
    private static final long serialVersionUID = 1L;

    Limit(String message) {
      super(message);
    }
  }
}
