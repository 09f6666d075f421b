package dev.modelseal.formats.pickle;

import dev.modelseal.ModelIoException;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.UnsupportedModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Interprets one pickle (protocols 0 to 5, every opcode of Python's {@code pickletools}) up to its
 * {@code STOP}, building an inert value tree. Imports and calls are never performed: {@code
 * GLOBAL}, {@code INST}, {@code STACK_GLOBAL} and {@code EXT*} yield {@link PyGlobal} text,
 * recorded in {@link Result#imports()}; calls and persistent ids are handed to a {@link
 * PickleResolver}.
 *
 * <p>Guarantee: the input is read only up to {@code STOP}; every length is checked against {@link
 * PickleLimits} and the bytes left before allocating; opcode, stack and memo counts are bounded;
 * any malformed, truncated or over-limit input is a {@link FormatException} whose one-line message
 * names the file, {@code what} was read and the opcode offset. Not thread-safe; one machine per
 * pickle.
 */
public final class PickleMachine {
  private final InputStream in;
  private final long length;
  private final Path file;
  private final String what;
  private final PickleResolver resolver;
  private final PickleLimits limits;
  private final List<Object> stack = new ArrayList<>();
  private int[] marks = new int[16];
  private int markCount;
  private final Map<Long, Object> memo = new HashMap<>();
  private final List<PickleImport> imports = new ArrayList<>();
  private long pos;
  private final PickleFrame frame = new PickleFrame(PickleFrame.Loader.IN_MEMORY);
  private long opStart;
  private int protocol;

  /**
   * The result of one pickle.
   *
   * @param value the value {@code STOP} returned
   * @param imports every global named, in order
   * @param length the bytes read, up to and including {@code STOP}
   * @param protocol the {@code PROTO} version, 0 or 1 when there is none
   */
  public record Result(Object value, List<PickleImport> imports, long length, int protocol) {}

  private PickleMachine(
      InputStream in,
      long length,
      Path file,
      String what,
      PickleResolver resolver,
      PickleLimits limits) {
    this.in = in;
    this.length = length;
    this.file = file;
    this.what = what;
    this.resolver = resolver;
    this.limits = limits;
  }

  /**
   * Interprets the pickle in {@code data}, which must end with its {@code STOP}.
   *
   * @param file the file, for errors
   * @param what what is read, for errors (for example {@code zip member 'archive/data.pkl'})
   */
  public static Result run(
      byte[] data, Path file, String what, PickleResolver resolver, PickleLimits limits)
      throws FormatException {
    Result r = run(new ByteArrayInputStream(data), data.length, file, what, resolver, limits);
    if (r.length() != data.length) {
      throw new MalformedModelException(
          file, what + " has " + (data.length - r.length()) + " bytes after the pickle's STOP");
    }
    return r;
  }

  /**
   * Interprets the pickle at the current position of {@code in}, reading no further than its {@code
   * STOP} and at most {@code length} bytes.
   */
  public static Result run(
      InputStream in,
      long length,
      Path file,
      String what,
      PickleResolver resolver,
      PickleLimits limits)
      throws FormatException {
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(limits, "limits");
    PickleMachine m = new PickleMachine(in, length, file, what, resolver, limits);
    Object v = m.loop();
    return new Result(v, Collections.unmodifiableList(m.imports), m.pos, m.protocol);
  }

  private Object loop() throws FormatException {
    long ops = 0;
    while (true) {
      opStart = pos;
      if (++ops > limits.opcodes()) {
        throw new LimitExceededException(file, what + ": opcode count", ops, limits.opcodes());
      }
      int op = u8();
      switch (op) {
        case '.' -> {
          // STOP
          // Python ignores what is left under the top; so do we.
          return pop();
        }
        case '(' -> pushMark();
        case '0' -> {
          // As CPython: POP on an empty frame pops the MARK instead.
          int floor = markCount == 0 ? 0 : marks[markCount - 1];
          if (stack.size() == floor && markCount > 0) {
            popMark();
          } else {
            pop();
          }
        }
        case '1' -> popMark();
        case '2' -> push(peek());
        case 'N' -> push(PyNone.NONE);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'I' -> push(intLine(line()));
        case 'J' -> push((long) le(4, true));
        case 'K' -> push((long) u8());
        case 'M' -> push((long) le(2, false));
        case 'L' -> push(longLine(line()));
        case 0x8a -> push(longBytes(u8()));
        case 0x8b -> push(longBytes(size(le(4, true), "LONG4")));
        case 'F' -> push(floatLine(line()));
        case 'G' -> push(Double.longBitsToDouble(be8()));
        case 'S' -> push(quotedString(line()));
        case 'T' -> push(latin1(bytes(size(le(4, true), "BINSTRING"))));
        case 'U' -> push(latin1(bytes(u8())));
        case 'V' -> push(rawUnicodeEscape(line()));
        case 'X' -> push(utf8(bytes(size(le(4, false), "BINUNICODE"))));
        case 0x8c -> push(utf8(bytes(u8())));
        case 0x8d -> push(utf8(bytes(size(le(8, false), "BINUNICODE8"))));
        case 'B' -> push(new PyBytes(bytes(size(le(4, false), "BINBYTES")), false));
        case 'C' -> push(new PyBytes(bytes(u8()), false));
        case 0x8e -> push(new PyBytes(bytes(size(le(8, false), "BINBYTES8")), false));
        case 0x96 -> push(new PyBytes(bytes(size(le(8, false), "BYTEARRAY8")), true));
        case 0x97 ->
            throw new UnsupportedModelException(
                file, what + ": NEXT_BUFFER at offset " + opStart + " needs out-of-band buffers");
        case 0x98 -> peek(); // READONLY_BUFFER: the top stays as it is
        case ')' -> push(PyTuple.EMPTY);
        case 't' -> push(new PyTuple(popToMark()));
        case 0x85 -> push(tuple(1));
        case 0x86 -> push(tuple(2));
        case 0x87 -> push(tuple(3));
        case ']' -> push(new PyList());
        case 'l' -> {
          PyList l = new PyList();
          for (Object o : popToMark()) {
            l.add(o);
          }
          push(l);
        }
        case 'a' -> {
          Object v = pop();
          append(peek(), List.of(v));
        }
        case 'e' -> {
          List<Object> items = popToMark();
          append(peek(), items);
        }
        case '}' -> push(new PyDict());
        case 'd' -> {
          List<Object> items = popToMark();
          PyDict d = new PyDict();
          setItems(d, items);
          push(d);
        }
        case 's' -> {
          Object v = pop();
          Object k = pop();
          setItems(peek(), List.of(k, v));
        }
        case 'u' -> {
          List<Object> items = popToMark();
          setItems(peek(), items);
        }
        case 0x8f -> push(new PySet(false));
        case 0x90 -> {
          List<Object> items = popToMark();
          Object target = peek();
          if (target instanceof PySet s && !s.isFrozen()) {
            items.forEach(s::add);
          } else if (target instanceof PyCall c) {
            items.forEach(c::addItem);
          } else {
            throw malformed("ADDITEMS to a " + typeName(target));
          }
        }
        case 0x91 -> {
          PySet s = new PySet(true);
          popToMark().forEach(s::add);
          push(s);
        }
        case 'g' -> push(memoGet(memoLine(line())));
        case 'h' -> push(memoGet(u8()));
        case 'j' -> push(memoGet(le(4, false)));
        case 'p' -> memoPut(memoLine(line()));
        case 'q' -> memoPut(u8());
        case 'r' -> memoPut(le(4, false));
        case 0x94 -> memoPut(memo.size());
        case 'c' -> {
          String module = asciiOrUtf8(line());
          String name = asciiOrUtf8(line());
          push(global(module, name, "GLOBAL"));
        }
        case 0x93 -> {
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw malformed("STACK_GLOBAL needs two strings");
          }
          push(global(m, n, "STACK_GLOBAL"));
        }
        case 0x82 -> push(extension(u8(), "EXT1"));
        case 0x83 -> push(extension(le(2, false), "EXT2"));
        case 0x84 -> push(extension(le(4, true), "EXT4"));
        case 'R' -> {
          Object args = pop();
          Object callable = pop();
          push(call(callable, args, PyNone.NONE, "REDUCE"));
        }
        case 0x81 -> {
          Object args = pop();
          Object cls = pop();
          push(call(cls, args, PyNone.NONE, "NEWOBJ"));
        }
        case 0x92 -> {
          Object kwargs = pop();
          Object args = pop();
          Object cls = pop();
          if (!(kwargs instanceof PyDict)) {
            throw malformed("NEWOBJ_EX keyword arguments are a " + typeName(kwargs));
          }
          push(call(cls, args, kwargs, "NEWOBJ_EX"));
        }
        case 'i' -> {
          String module = asciiOrUtf8(line());
          String name = asciiOrUtf8(line());
          List<Object> args = popToMark();
          PyGlobal g = global(module, name, "INST");
          push(call(g, new PyTuple(args), PyNone.NONE, "INST"));
        }
        case 'o' -> {
          List<Object> items = popToMark();
          if (items.isEmpty()) {
            throw malformed("OBJ without a class");
          }
          Object cls = items.get(0);
          push(call(cls, new PyTuple(items.subList(1, items.size())), PyNone.NONE, "OBJ"));
        }
        case 'b' -> {
          Object state = pop();
          Object target = peek();
          if (target instanceof PyCall c) {
            c.addState(state);
          } else if (target instanceof PyDict d) {
            d.addState(state);
          } else {
            throw malformed("BUILD on a " + typeName(target));
          }
          Object after = resolver.built(target, inline);
          if (after != target) {
            stack.set(stack.size() - 1, after);
          }
        }
        case 'P' -> push(resolver.persistentLoad(asciiOrUtf8(line()), opStart));
        case 'Q' -> {
          Object pid = pop();
          push(resolver.persistentLoad(pid, opStart));
        }
        case 0x80 -> {
          protocol = u8();
          if (protocol > 5) {
            throw malformed("unsupported pickle protocol " + protocol);
          }
        }
        case 0x95 -> {
          // FRAME: a hint for pickle.loads; pickle.load(file) reads differently only where an
          // argument crosses the frame's end, which is refused (see PickleFrame).
          long frameLength = le(8, false);
          frame.frame(pos, frameLength);
          checkFrame();
        }
        default ->
            throw malformed(
                "unknown opcode 0x" + Integer.toHexString(op) + " (not a pickle, or damaged)");
      }
    }
  }

  // ---- stack ----------------------------------------------------------------------------------

  private void push(Object o) throws LimitExceededException {
    if (stack.size() + markCount >= limits.stack()) {
      throw new LimitExceededException(
          file, what + ": stack size", stack.size() + markCount + 1L, limits.stack());
    }
    stack.add(o);
  }

  private Object pop() throws MalformedModelException {
    int floor = markCount == 0 ? 0 : marks[markCount - 1];
    if (stack.size() <= floor) {
      throw malformed("pops an empty stack");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() throws MalformedModelException {
    int floor = markCount == 0 ? 0 : marks[markCount - 1];
    if (stack.size() <= floor) {
      throw malformed("reads an empty stack");
    }
    return stack.get(stack.size() - 1);
  }

  private void pushMark() throws LimitExceededException {
    if (stack.size() + markCount >= limits.stack()) {
      throw new LimitExceededException(
          file, what + ": stack size", stack.size() + markCount + 1L, limits.stack());
    }
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[markCount++] = stack.size();
  }

  private List<Object> popToMark() throws MalformedModelException {
    if (markCount == 0) {
      throw malformed("needs a MARK and there is none");
    }
    int m = marks[--markCount];
    List<Object> top = stack.subList(m, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private void popMark() throws MalformedModelException {
    popToMark();
  }

  private PyTuple tuple(int n) throws MalformedModelException {
    Object[] a = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      a[i] = pop();
    }
    return new PyTuple(Arrays.asList(a));
  }

  private void append(Object target, List<Object> items) throws MalformedModelException {
    if (target instanceof PyList l) {
      items.forEach(l::add);
    } else if (target instanceof PyCall c) {
      items.forEach(c::addItem);
    } else {
      throw malformed("APPEND to a " + typeName(target));
    }
  }

  private void setItems(Object target, List<Object> kv) throws MalformedModelException {
    if (kv.size() % 2 != 0) {
      throw malformed("SETITEMS with an odd number of items");
    }
    if (target instanceof PyDict d) {
      for (int i = 0; i < kv.size(); i += 2) {
        d.put(kv.get(i), kv.get(i + 1));
      }
    } else if (target instanceof PyCall c) {
      for (int i = 0; i < kv.size(); i += 2) {
        c.addItem(new PyTuple(List.of(kv.get(i), kv.get(i + 1))));
      }
    } else {
      throw malformed("SETITEM on a " + typeName(target));
    }
  }

  private Object call(Object callable, Object args, Object kwargs, String opcode)
      throws FormatException {
    if (!(args instanceof PyTuple t)) {
      throw malformed(opcode + " arguments are a " + typeName(args) + ", not a tuple");
    }
    return resolver.call(new PickleResolver.Call(callable, t, kwargs, opcode, opStart));
  }

  private PyGlobal global(String module, String name, String opcode) {
    PyGlobal g = new PyGlobal(module, name);
    imports.add(new PickleImport(g, opcode, opStart));
    return g;
  }

  private PyGlobal extension(long code, String opcode) throws MalformedModelException {
    if (code <= 0) {
      throw malformed(opcode + " code " + code + " is not positive");
    }
    return global("copyreg.extension", Long.toString(code), opcode);
  }

  // ---- memo -----------------------------------------------------------------------------------

  private Object memoGet(long index) throws MalformedModelException {
    Object v = memo.get(index);
    if (v == null) {
      throw malformed("memo entry " + index + " is read before it is written");
    }
    return v;
  }

  private void memoPut(long index) throws FormatException {
    if (index < 0) {
      throw malformed("negative memo index " + index);
    }
    Object v = peek();
    if (!memo.containsKey(index) && memo.size() >= limits.memo()) {
      throw new LimitExceededException(file, what + ": memo size", memo.size() + 1L, limits.memo());
    }
    memo.put(index, v);
  }

  // ---- input ----------------------------------------------------------------------------------

  private final PickleResolver.InlineData inline =
      new PickleResolver.InlineData() {
        @Override
        public long offset() {
          return pos;
        }

        @Override
        public long frameLeft() {
          return frame.left(pos);
        }

        @Override
        public int read() throws FormatException {
          return u8();
        }

        @Override
        public void skip(long n) throws FormatException {
          if (n < 0 || n > length - pos) {
            throw truncated();
          }
          try {
            in.skipNBytes(n);
          } catch (java.io.EOFException e) {
            throw truncated();
          } catch (IOException e) {
            throw new MalformedModelException(file, what + ": " + ModelIoException.describe(e), e);
          }
          pos += n;
        }

        @Override
        public Object pickle() throws FormatException {
          if (++nesting > MAX_NESTING) {
            throw malformed("pickles nested more than " + MAX_NESTING + " deep");
          }
          Result r =
              run(
                  in,
                  length - pos,
                  file,
                  what + " (pickle at offset " + pos + ")",
                  resolver,
                  limits);
          pos += r.length();
          nesting--;
          return r.value();
        }
      };

  private static final int MAX_NESTING = 8;
  private int nesting;

  private int u8() throws MalformedModelException {
    frame.read(pos, 1);
    if (pos >= length) {
      throw truncated();
    }
    int b;
    try {
      b = in.read();
    } catch (IOException e) {
      throw new MalformedModelException(file, what + ": " + ModelIoException.describe(e), e);
    }
    if (b < 0) {
      throw truncated();
    }
    pos++;
    return b;
  }

  private long le(int n, boolean signed) throws MalformedModelException {
    byte[] b = bytes(n);
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    if (signed && n < 8) {
      int shift = 64 - 8 * n;
      v = (v << shift) >> shift;
    }
    return v;
  }

  private long be8() throws MalformedModelException {
    byte[] b = bytes(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  /** Checks a length read from the input before anything of that size is allocated. */
  private int size(long n, String opcode) throws FormatException {
    if (n < 0) {
      throw malformed(opcode + " length " + Long.toUnsignedString(n) + " is negative or too large");
    }
    LimitExceededException.check(file, what + ": " + opcode + " length", n, limits.stringBytes());
    if (n > length - pos) {
      throw malformed(
          opcode + " claims " + n + " bytes, more than the " + (length - pos) + " left");
    }
    return (int) n;
  }

  private byte[] bytes(int n) throws MalformedModelException {
    frame.read(pos, n);
    checkFrame();
    if (n > length - pos) {
      throw truncated();
    }
    byte[] b;
    try {
      b = in.readNBytes(n);
    } catch (IOException e) {
      throw new MalformedModelException(file, what + ": " + ModelIoException.describe(e), e);
    }
    if (b.length < n) {
      throw truncated();
    }
    pos += n;
    return b;
  }

  /** A protocol-0 argument line without its newline, at most the string limit long. */
  private byte[] line() throws FormatException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long start = pos;
    while (true) {
      frame.dropsLine(start, pos);
      checkFrame();
      int b = u8();
      if (b == '\n') {
        return out.toByteArray();
      }
      if (out.size() >= limits.stringBytes()) {
        throw new LimitExceededException(
            file, what + ": text line length", out.size() + 1L, limits.stringBytes());
      }
      out.write(b);
    }
  }

  // ---- text values ----------------------------------------------------------------------------

  private Object intLine(byte[] l) throws MalformedModelException {
    // Protocol 0 writes booleans as INT 01 / 00.
    if (l.length == 2 && l[0] == '0' && l[1] == '1') {
      return Boolean.TRUE;
    }
    if (l.length == 2 && l[0] == '0' && l[1] == '0') {
      return Boolean.FALSE;
    }
    return integer(l, l.length, "INT");
  }

  private long memoLine(byte[] l) throws MalformedModelException {
    if (integer(l, l.length, "memo index") instanceof Long v) {
      return v;
    }
    throw malformed("memo index out of range");
  }

  private Object longLine(byte[] l) throws MalformedModelException {
    int n = l.length;
    if (n > 0 && l[n - 1] == 'L') {
      n--;
    }
    return integer(l, n, "LONG");
  }

  private static final int MAX_DECIMAL_DIGITS = 4300; // as CPython's int_max_str_digits

  private Object integer(byte[] l, int n, String opcode) throws MalformedModelException {
    int i = 0;
    if (n > 0 && (l[0] == '-' || l[0] == '+')) {
      i = 1;
    }
    if (i >= n) {
      throw malformed(opcode + " has no digits");
    }
    if (n - i > MAX_DECIMAL_DIGITS) {
      throw malformed(opcode + " has more than " + MAX_DECIMAL_DIGITS + " digits");
    }
    for (int k = i; k < n; k++) {
      if (l[k] < '0' || l[k] > '9') {
        throw malformed(opcode + " is not a decimal integer");
      }
    }
    BigInteger v = new BigInteger(new String(l, 0, n, StandardCharsets.US_ASCII));
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private Double floatLine(byte[] l) throws MalformedModelException {
    String s = new String(l, StandardCharsets.US_ASCII).strip();
    switch (s) {
      case "nan", "-nan", "+nan" -> {
        return Double.NaN;
      }
      case "inf", "+inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {}
    }
    if (s.isEmpty() || s.length() > 400) {
      throw malformed("FLOAT is not a decimal number");
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      boolean ok =
          (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
      if (!ok) {
        throw malformed("FLOAT is not a decimal number");
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw malformed("FLOAT is not a decimal number");
    }
  }

  private Object longBytes(int n) throws FormatException {
    if (n == 0) {
      return 0L;
    }
    byte[] le = bytes(n);
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = le[n - 1 - i];
    }
    BigInteger v = new BigInteger(be);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  /** A protocol-0 {@code STRING}: a Python repr in quotes, decoded as ASCII escapes. */
  private String quotedString(byte[] l) throws MalformedModelException {
    int n = l.length;
    if (n < 2 || l[0] != l[n - 1] || (l[0] != '\'' && l[0] != '"')) {
      throw malformed("STRING is not quoted");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n);
    for (int i = 1; i < n - 1; i++) {
      int c = l[i] & 0xFF;
      if (c != '\\') {
        out.write(c);
        continue;
      }
      if (++i >= n - 1) {
        throw malformed("STRING ends inside an escape");
      }
      int e = l[i];
      switch (e) {
        case '\\', '\'', '"' -> out.write(e);
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'a' -> out.write(7);
        case 'b' -> out.write(8);
        case 'f' -> out.write(12);
        case 'v' -> out.write(11);
        case '\n' -> {}
        case 'x' -> {
          if (i + 2 > n - 2) {
            throw malformed("STRING has a short \\x escape");
          }
          out.write(hex(l[i + 1]) * 16 + hex(l[i + 2]));
          i += 2;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && i + 1 < n - 1 && l[i + 1] >= '0' && l[i + 1] <= '7'; k++) {
              v = v * 8 + (l[++i] - '0');
            }
            out.write(v & 0xFF);
          } else {
            out.write('\\');
            out.write(e);
          }
        }
      }
    }
    return latin1(out.toByteArray());
  }

  private int hex(byte b) throws MalformedModelException {
    int d = Character.digit(b, 16);
    if (d < 0) {
      throw malformed("bad hexadecimal escape");
    }
    return d;
  }

  /** A protocol-0 {@code UNICODE}: raw-unicode-escape ({@code \\uXXXX}, {@code \\UXXXXXXXX}). */
  private String rawUnicodeEscape(byte[] l) throws MalformedModelException {
    StringBuilder b = new StringBuilder(l.length);
    for (int i = 0; i < l.length; i++) {
      int c = l[i] & 0xFF;
      if (c == '\\' && i + 1 < l.length && (l[i + 1] == 'u' || l[i + 1] == 'U')) {
        int digits = l[i + 1] == 'u' ? 4 : 8;
        if (i + 1 + digits >= l.length) {
          throw malformed("UNICODE has a short escape");
        }
        int cp = 0;
        for (int k = 0; k < digits; k++) {
          cp = cp * 16 + hex(l[i + 2 + k]);
        }
        if (cp < 0 || cp > Character.MAX_CODE_POINT) {
          throw malformed("UNICODE escape is not a code point");
        }
        b.appendCodePoint(cp);
        i += 1 + digits;
      } else {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private String utf8(byte[] b) throws MalformedModelException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      // Python pickles may hold lone surrogates (surrogatepass); we refuse them.
      throw malformed("string is not valid UTF-8");
    }
  }

  private String asciiOrUtf8(byte[] b) throws MalformedModelException {
    return utf8(b);
  }

  // ---- errors ---------------------------------------------------------------------------------

  /** Refuses a pickle that CPython's file and in-memory loaders would read differently. */
  private void checkFrame() throws MalformedModelException {
    if (frame.crossed()) {
      throw malformed(
          "an opcode argument crosses the end of its FRAME (pickle.load and pickle.loads read"
              + " different opcodes from here)");
    }
  }

  private MalformedModelException malformed(String reason) {
    return new MalformedModelException(
        file, what + ": " + reason + " (pickle offset " + opStart + ")");
  }

  private MalformedModelException truncated() {
    return new MalformedModelException(
        file, what + ": the pickle ends before its STOP (offset " + opStart + ")");
  }

  static String typeName(Object o) {
    if (o instanceof String) {
      return "str";
    }
    if (o instanceof Long || o instanceof BigInteger) {
      return "int";
    }
    if (o instanceof Double) {
      return "float";
    }
    if (o instanceof Boolean) {
      return "bool";
    }
    if (o instanceof PyList) {
      return "list";
    }
    if (o instanceof PyTuple) {
      return "tuple";
    }
    if (o instanceof PyDict) {
      return "dict";
    }
    if (o instanceof PySet) {
      return "set";
    }
    if (o instanceof PyBytes) {
      return "bytes";
    }
    if (o instanceof PyNone) {
      return "None";
    }
    if (o instanceof PyGlobal g) {
      return "global " + g;
    }
    return o == null ? "null" : o.getClass().getSimpleName();
  }
}
