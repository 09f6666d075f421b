package dev.modelseal.formats.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one pickle opcode decoder (protocols 0 to 5, every opcode of Python's {@code pickletools}):
 * it reads opcodes from a {@link PickleInput} with CPython's framing, runs the stack, marks and
 * memo as CPython's unpickler does, decodes every scalar argument, and hands globals, calls,
 * containers and {@code BUILD} to a {@link PickleConsumer}. Nothing is imported, instantiated or
 * called. Its two consumers are the tensor readers' tree builder ({@link PickleMachine}) and the
 * scanner's import listener.
 *
 * <p>Guarantee: the input is read only up to {@code STOP}; every length is checked against {@link
 * PickleLimits} and the bytes left before allocating; opcode, stack and memo counts are bounded
 * (the opcode budget is shared with nested pickles); {@code DUP} and memo reads push a reference,
 * never a copy. Every stop before {@code STOP} is a {@link PickleException} with the opcode's
 * offset; I/O failures of the stream propagate as {@link IOException}; the consumer's own failures
 * pass through unchanged. Not thread-safe; one decoder per stream.
 *
 * @param <X> the consumer's own checked failure
 */
public final class PickleDecoder<X extends Exception> {
  /**
   * How the decoder treats what CPython reads but a reader may not want to hold.
   *
   * @param refuseFrameCrossing stop with {@link PickleException.Kind#MALFORMED} when an argument
   *     crosses the end of its {@code FRAME} ({@code pickle.load} and {@code pickle.loads} would
   *     read different opcodes); otherwise read on as the input's loader does
   * @param skipLongValues step over strings, bytes and integers longer than {@link
   *     PickleLimits#stringBytes()} and push a {@link PySkipped}; otherwise they are a {@link
   *     PickleException.Kind#LIMIT}
   * @param skipBytes push a {@link PySkipped} for every bytes value instead of holding it
   */
  public record Options(boolean refuseFrameCrossing, boolean skipLongValues, boolean skipBytes) {
    /** For readers that build values: one reading only, every value held or refused. */
    public static final Options BUILD = new Options(true, false, false);

    /** For scanners: read on as the loader does, hold only short strings and scalars. */
    public static final Options SCAN = new Options(false, true, true);
  }

  /** Deepest nesting of pickles inside the pickle (joblib object arrays). */
  public static final int MAX_NESTING = 8;

  private final PickleInput in;
  private final PickleLimits limits;
  private final PickleConsumer<X> consumer;
  private final Options options;
  private long ops;
  private int nesting;
  private Level top;
  private int protocol;

  /** One pickle's stack, marks and memo. */
  private static final class Level {
    final List<Object> stack = new ArrayList<>();
    final Map<Long, Object> memo = new HashMap<>();
    int[] marks = new int[16];
    int markCount;
    long opStart;
    int protocol;

    Level(long start) {
      opStart = start;
    }
  }

  /** A decoder of the pickles of {@code in}. */
  public PickleDecoder(
      PickleInput in, PickleLimits limits, PickleConsumer<X> consumer, Options options) {
    this.in = Objects.requireNonNull(in, "in");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Decodes the pickle at the current position of the input up to and including its {@code STOP}
   * and returns the value {@code STOP} returns. May be called again for a pickle that follows.
   */
  public Object decode() throws PickleException, IOException, X {
    Level l = new Level(in.offset());
    top = l;
    try {
      return run(l);
    } finally {
      protocol = l.protocol;
    }
  }

  /** The offset of the opcode being decoded, or where the last pickle decoded stopped. */
  public long opcodeOffset() {
    return top == null ? in.offset() : top.opStart;
  }

  /** The {@code PROTO} version of the last pickle decoded (0 when it had none). */
  public int protocol() {
    return protocol;
  }

  /** The opcodes decoded so far, nested pickles included. */
  public long opcodes() {
    return ops;
  }

  private Object run(Level l) throws PickleException, IOException, X {
    try {
      return loop(l);
    } catch (EOFException e) {
      if (options.refuseFrameCrossing && in.frameCrossed()) {
        throw crossed(l);
      }
      throw PickleException.truncated(e.getMessage(), l.opStart);
    }
  }

  private Object loop(Level l) throws PickleException, IOException, X {
    long first = in.offset();
    while (true) {
      l.opStart = in.offset();
      top = l;
      int op = in.read();
      if (op < 0) {
        throw new EOFException(
            l.opStart == first ? "empty pickle" : "pickle ends before STOP (no STOP opcode)");
      }
      if (++ops > limits.opcodes()) {
        throw PickleException.limit("opcode count", ops, limits.opcodes(), l.opStart);
      }
      if (op == '.') {
        // STOP; Python ignores what is left under the top, and so do we.
        return pop(l);
      }
      step(l, op);
      if (options.refuseFrameCrossing && in.frameCrossed()) {
        throw crossed(l);
      }
    }
  }

  private void step(Level l, int op) throws PickleException, IOException, X {
    switch (op) {
      case '(' -> pushMark(l);
      case '0' -> {
        // As CPython: POP on an empty frame pops the MARK instead.
        if (l.stack.size() == floor(l) && l.markCount > 0) {
          popToMark(l);
        } else {
          pop(l);
        }
      }
      case '1' -> popToMark(l);
      case '2' -> push(l, peek(l));
      case 'N' -> push(l, PyNone.NONE);
      case 0x88 -> push(l, Boolean.TRUE);
      case 0x89 -> push(l, Boolean.FALSE);
      case 'I' -> push(l, intLine(l, line(l)));
      case 'J' -> push(l, (long) (int) in.readLe(4));
      case 'K' -> push(l, in.readLe(1));
      case 'M' -> push(l, in.readLe(2));
      case 'L' -> push(l, longLine(l, line(l)));
      case 0x8a -> push(l, longBytes(l, (int) in.readLe(1)));
      case 0x8b -> {
        long n = size(l, signed4(in.readLe(4)), "LONG4");
        push(l, n < 0 ? skipped("int", -n - 1) : longBytes(l, (int) n));
      }
      case 'F' -> push(l, floatLine(l, line(l)));
      case 'G' -> push(l, Double.longBitsToDouble(Long.reverseBytes(in.readLe(8))));
      case 'S' -> {
        byte[] s = line(l);
        push(l, s == null ? skipped("str", -1) : quotedString(l, s));
      }
      case 'V' -> {
        byte[] s = line(l);
        push(l, s == null ? skipped("str", -1) : rawUnicodeEscape(l, s));
      }
      case 'T' -> push(l, text(l, signed4(in.readLe(4)), "BINSTRING", false));
      case 'U' -> push(l, text(l, in.readLe(1), "SHORT_BINSTRING", false));
      case 'X' -> push(l, text(l, in.readLe(4), "BINUNICODE", true));
      case 0x8c -> push(l, text(l, in.readLe(1), "SHORT_BINUNICODE", true));
      case 0x8d -> push(l, text(l, in.readLe(8), "BINUNICODE8", true));
      case 'B' -> push(l, bytes(l, in.readLe(4), "BINBYTES", false));
      case 'C' -> push(l, bytes(l, in.readLe(1), "SHORT_BINBYTES", false));
      case 0x8e -> push(l, bytes(l, in.readLe(8), "BINBYTES8", false));
      case 0x96 -> push(l, bytes(l, in.readLe(8), "BYTEARRAY8", true));
      case 0x97 -> push(l, consumer.nextBuffer(l.opStart));
      case 0x98 -> peek(l); // READONLY_BUFFER: the top stays as it is
      case ')' -> push(l, consumer.tuple(List.of()));
      case 't' -> push(l, consumer.tuple(popToMark(l)));
      case 0x85 -> push(l, consumer.tuple(popN(l, 1)));
      case 0x86 -> push(l, consumer.tuple(popN(l, 2)));
      case 0x87 -> push(l, consumer.tuple(popN(l, 3)));
      case ']' -> push(l, consumer.list(List.of()));
      case 'l' -> push(l, consumer.list(popToMark(l)));
      case 'a' -> {
        Object v = pop(l);
        Object target = peek(l);
        if (!consumer.append(target, List.of(v))) {
          throw malformed(l, "APPEND to a " + typeName(target));
        }
      }
      case 'e' -> {
        List<Object> items = popToMark(l);
        Object target = peek(l);
        if (!consumer.append(target, items)) {
          throw malformed(l, "APPEND to a " + typeName(target));
        }
      }
      case '}' -> push(l, consumer.dict(List.of()));
      case 'd' -> push(l, consumer.dict(even(l, popToMark(l), "DICT")));
      case 's' -> {
        Object v = pop(l);
        Object k = pop(l);
        Object target = peek(l);
        if (!consumer.setItems(target, Arrays.asList(k, v))) {
          throw malformed(l, "SETITEM on a " + typeName(target));
        }
      }
      case 'u' -> {
        List<Object> items = even(l, popToMark(l), "SETITEMS");
        Object target = peek(l);
        if (!consumer.setItems(target, items)) {
          throw malformed(l, "SETITEM on a " + typeName(target));
        }
      }
      case 0x8f -> push(l, consumer.set(List.of(), false));
      case 0x90 -> {
        List<Object> items = popToMark(l);
        Object target = peek(l);
        if (!consumer.addItems(target, items)) {
          throw malformed(l, "ADDITEMS to a " + typeName(target));
        }
      }
      case 0x91 -> push(l, consumer.set(popToMark(l), true));
      case 'g' -> push(l, memoGet(l, memoLine(l, line(l))));
      case 'h' -> push(l, memoGet(l, in.readLe(1)));
      case 'j' -> push(l, memoGet(l, in.readLe(4)));
      case 'p' -> memoPut(l, memoLine(l, line(l)));
      case 'q' -> memoPut(l, in.readLe(1));
      case 'r' -> memoPut(l, in.readLe(4));
      case 0x94 -> memoPut(l, l.memo.size());
      case 'c' -> push(l, lineGlobal(l, "GLOBAL"));
      case 0x93 -> {
        Object name = pop(l);
        Object module = pop(l);
        push(l, stackGlobal(l, module, name));
      }
      case 0x82 -> push(l, extension(l, in.readLe(1), "EXT1"));
      case 0x83 -> push(l, extension(l, in.readLe(2), "EXT2"));
      case 0x84 -> push(l, extension(l, (long) (int) in.readLe(4), "EXT4"));
      case 'R' -> {
        Object args = pop(l);
        Object callable = pop(l);
        push(l, consumer.call(callable, args, PyNone.NONE, "REDUCE", l.opStart));
      }
      case 0x81 -> {
        Object args = pop(l);
        Object cls = pop(l);
        push(l, consumer.call(cls, args, PyNone.NONE, "NEWOBJ", l.opStart));
      }
      case 0x92 -> {
        Object kwargs = pop(l);
        Object args = pop(l);
        Object cls = pop(l);
        push(l, consumer.call(cls, args, kwargs, "NEWOBJ_EX", l.opStart));
      }
      case 'i' -> {
        Object cls = lineGlobal(l, "INST");
        Object args = consumer.tuple(popToMark(l));
        push(l, consumer.call(cls, args, PyNone.NONE, "INST", l.opStart));
      }
      case 'o' -> {
        List<Object> items = popToMark(l);
        if (items.isEmpty()) {
          throw malformed(l, "OBJ without a class");
        }
        Object args = consumer.tuple(new ArrayList<>(items.subList(1, items.size())));
        push(l, consumer.call(items.get(0), args, PyNone.NONE, "OBJ", l.opStart));
      }
      case 'b' -> {
        Object state = pop(l);
        Object target = peek(l);
        Object after = consumer.build(target, state, inline(), l.opStart);
        l.stack.set(l.stack.size() - 1, after);
      }
      case 'P' -> {
        byte[] pid = line(l);
        push(
            l, consumer.persistentLoad(pid == null ? skipped("str", -1) : utf8(l, pid), l.opStart));
      }
      case 'Q' -> push(l, consumer.persistentLoad(pop(l), l.opStart));
      case 0x80 -> {
        int p = in.readByte();
        if (p > 5) {
          throw malformed(l, "unsupported pickle protocol " + p);
        }
        l.protocol = p;
      }
      case 0x95 -> in.frame(in.readLe(8)); // FRAME: CPython buffers its bytes
      default ->
          throw malformed(
              l, "unknown opcode 0x" + String.format("%02x", op) + " (not a pickle, or damaged)");
    }
  }

  // ---- globals ----------------------------------------------------------------------------------

  private Object lineGlobal(Level l, String opcode) throws PickleException, IOException, X {
    byte[] module = line(l);
    byte[] name = line(l);
    if (module == null || name == null) {
      return consumer.unnamedGlobal(
          opcode,
          opcode + " names a module or attribute over " + limits.stringBytes() + " bytes",
          l.opStart);
    }
    return consumer.global(utf8(l, module), utf8(l, name), opcode, l.opStart);
  }

  private Object stackGlobal(Level l, Object module, Object name) throws PickleException, X {
    if (module instanceof String m && name instanceof String n) {
      return consumer.global(m, n, "STACK_GLOBAL", l.opStart);
    }
    // CPython fails on operands that are not strings; a scanner may report and read on.
    return consumer.unnamedGlobal(
        "STACK_GLOBAL",
        "STACK_GLOBAL operands are not both short strings (a "
            + typeName(module)
            + " and a "
            + typeName(name)
            + ")",
        l.opStart);
  }

  private static boolean isSkipped(Object v, String type) {
    return v instanceof PySkipped s && s.type().equals(type);
  }

  private Object extension(Level l, long code, String opcode) throws PickleException, X {
    if (code <= 0) {
      throw malformed(l, opcode + " code " + code + " is not positive");
    }
    return consumer.extension(code, opcode, l.opStart);
  }

  // ---- stack ------------------------------------------------------------------------------------

  private static int floor(Level l) {
    return l.markCount == 0 ? 0 : l.marks[l.markCount - 1];
  }

  private void push(Level l, Object o) throws PickleException {
    if (l.stack.size() + l.markCount >= limits.stack()) {
      throw PickleException.limit(
          "stack size", l.stack.size() + l.markCount + 1L, limits.stack(), l.opStart);
    }
    l.stack.add(o);
  }

  private Object pop(Level l) throws PickleException {
    if (l.stack.size() <= floor(l)) {
      throw malformed(l, "pops an empty stack");
    }
    return l.stack.remove(l.stack.size() - 1);
  }

  private Object peek(Level l) throws PickleException {
    if (l.stack.size() <= floor(l)) {
      throw malformed(l, "reads an empty stack");
    }
    return l.stack.get(l.stack.size() - 1);
  }

  private List<Object> popN(Level l, int n) throws PickleException {
    Object[] a = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      a[i] = pop(l);
    }
    return Arrays.asList(a);
  }

  private void pushMark(Level l) throws PickleException {
    if (l.stack.size() + l.markCount >= limits.stack()) {
      throw PickleException.limit(
          "stack size", l.stack.size() + l.markCount + 1L, limits.stack(), l.opStart);
    }
    if (l.markCount == l.marks.length) {
      l.marks = Arrays.copyOf(l.marks, l.marks.length * 2);
    }
    l.marks[l.markCount++] = l.stack.size();
  }

  private List<Object> popToMark(Level l) throws PickleException {
    if (l.markCount == 0) {
      throw malformed(l, "needs a MARK and there is none");
    }
    int m = l.marks[--l.markCount];
    List<Object> top = l.stack.subList(m, l.stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private List<Object> even(Level l, List<Object> items, String opcode) throws PickleException {
    if (items.size() % 2 != 0) {
      throw malformed(l, opcode + " with an odd number of items");
    }
    return items;
  }

  // ---- memo -------------------------------------------------------------------------------------

  private Object memoGet(Level l, long index) throws PickleException {
    Object v = l.memo.get(index);
    if (v == null) {
      throw malformed(l, "memo entry " + index + " is read before it is written");
    }
    return v;
  }

  private void memoPut(Level l, long index) throws PickleException {
    if (index < 0) {
      throw malformed(l, "negative memo index " + index);
    }
    Object v = peek(l);
    if (!l.memo.containsKey(index) && l.memo.size() >= limits.memo()) {
      throw PickleException.limit("memo size", l.memo.size() + 1L, limits.memo(), l.opStart);
    }
    l.memo.put(index, v);
  }

  // ---- input ------------------------------------------------------------------------------------

  private PickleConsumer.Inline<X> inline() {
    return new PickleConsumer.Inline<>() {
      @Override
      public long offset() {
        return in.offset();
      }

      @Override
      public long frameLeft() {
        return in.frameLeft();
      }

      @Override
      public int read() throws IOException {
        return in.readByte();
      }

      @Override
      public void skip(long n) throws IOException {
        in.skip(n);
      }

      @Override
      public Object pickle() throws IOException, PickleException, X {
        Level outer = top;
        if (nesting >= MAX_NESTING) {
          throw malformed(outer, "pickles nested more than " + MAX_NESTING + " deep");
        }
        nesting++;
        try {
          return run(new Level(in.offset()));
        } finally {
          nesting--;
          top = outer;
        }
      }
    };
  }

  private static long signed4(long v) {
    return (long) (int) v;
  }

  /**
   * Checks a length read from the input: its value when it is held, or {@code -(n + 1)} when it is
   * to be skipped ({@link Options#skipLongValues}).
   */
  private long size(Level l, long n, String opcode) throws PickleException {
    if (n < 0) {
      throw malformed(
          l, opcode + " length " + Long.toUnsignedString(n) + " is negative or too large");
    }
    if (n > limits.stringBytes()) {
      if (options.skipLongValues) {
        return -n - 1;
      }
      throw PickleException.limit(opcode + " length", n, limits.stringBytes(), l.opStart);
    }
    if (n > in.left()) {
      throw malformed(l, opcode + " claims " + n + " bytes, more than the " + in.left() + " left");
    }
    return n;
  }

  private PySkipped skipped(String type, long n) throws IOException {
    if (n >= 0) {
      in.skip(n);
    }
    return new PySkipped(type, n);
  }

  private Object text(Level l, long length, String opcode, boolean utf8)
      throws PickleException, IOException {
    long n = size(l, length, opcode);
    if (n < 0) {
      return skipped("str", -n - 1);
    }
    byte[] b = in.readBytes((int) n);
    return utf8 ? utf8(l, b) : new String(b, StandardCharsets.ISO_8859_1);
  }

  private Object bytes(Level l, long length, String opcode, boolean array)
      throws PickleException, IOException {
    long n = size(l, length, opcode);
    if (n < 0) {
      return skipped("bytes", -n - 1);
    }
    if (options.skipBytes) {
      return skipped("bytes", n);
    }
    return new PyBytes(in.readBytes((int) n), array);
  }

  /** A protocol-0 argument line without its newline; null when skipped for its length. */
  private byte[] line(Level l) throws PickleException, IOException {
    byte[] b = in.readLine(limits.stringBytes());
    if (b == null && !options.skipLongValues) {
      throw PickleException.limit(
          "text line length", limits.stringBytes() + 1L, limits.stringBytes(), l.opStart);
    }
    return b;
  }

  // ---- scalar values ----------------------------------------------------------------------------

  private Object intLine(Level l, byte[] b) throws PickleException {
    if (b == null) {
      return new PySkipped("int", -1); // CPython may read it; the scanner steps over it
    }
    // Protocol 0 writes booleans as INT 01 / 00.
    if (b.length == 2 && b[0] == '0' && b[1] == '1') {
      return Boolean.TRUE;
    }
    if (b.length == 2 && b[0] == '0' && b[1] == '0') {
      return Boolean.FALSE;
    }
    return PickleScalars.parseInt(b, b.length, l.opStart, "INT");
  }

  private Object longLine(Level l, byte[] b) throws PickleException {
    if (b == null) {
      return new PySkipped("int", -1);
    }
    int n = b.length;
    if (n > 0 && b[n - 1] == 'L') {
      n--;
    }
    return PickleScalars.parseInt(b, n, l.opStart, "LONG");
  }

  private long memoLine(Level l, byte[] b) throws PickleException {
    if (b != null
        && PickleScalars.parseInt(b, b.length, l.opStart, "memo index") instanceof Long v) {
      return v;
    }
    throw malformed(l, "memo index out of range");
  }

  private Object floatLine(Level l, byte[] b) throws PickleException {
    if (b == null) {
      return new PySkipped("float", -1);
    }
    if (b.length > 400) {
      throw malformed(l, "FLOAT is not a decimal number");
    }
    String s = new String(b, StandardCharsets.US_ASCII).strip();
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "nan", "-nan", "+nan" -> {
        return Double.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {}
    }
    if (s.isEmpty()) {
      throw malformed(l, "FLOAT is not a decimal number");
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      boolean ok =
          (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
      if (!ok) {
        throw malformed(l, "FLOAT is not a decimal number");
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw malformed(l, "FLOAT is not a decimal number");
    }
  }

  private Object longBytes(Level l, int n) throws IOException {
    if (n == 0) {
      return 0L;
    }
    byte[] le = in.readBytes(n);
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = le[n - 1 - i];
    }
    BigInteger v = new BigInteger(be);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  /** A protocol-0 {@code STRING}: a Python repr in quotes, decoded as ASCII escapes. */
  private String quotedString(Level l, byte[] b) throws PickleException {
    int n = b.length;
    if (n < 2 || b[0] != b[n - 1] || (b[0] != '\'' && b[0] != '"')) {
      throw malformed(l, "STRING is not quoted");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n);
    for (int i = 1; i < n - 1; i++) {
      int c = b[i] & 0xFF;
      if (c != '\\') {
        out.write(c);
        continue;
      }
      if (++i >= n - 1) {
        throw malformed(l, "STRING ends inside an escape");
      }
      int e = b[i];
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
            throw malformed(l, "STRING has a short \\x escape");
          }
          out.write(hex(l, b[i + 1]) * 16 + hex(l, b[i + 2]));
          i += 2;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && i + 1 < n - 1 && b[i + 1] >= '0' && b[i + 1] <= '7'; k++) {
              v = v * 8 + (b[++i] - '0');
            }
            out.write(v & 0xFF);
          } else {
            out.write('\\');
            out.write(e);
          }
        }
      }
    }
    return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
  }

  private int hex(Level l, byte b) throws PickleException {
    int d = Character.digit(b, 16);
    if (d < 0) {
      throw malformed(l, "bad hexadecimal escape");
    }
    return d;
  }

  /** A protocol-0 {@code UNICODE}: raw-unicode-escape ({@code \\uXXXX}, {@code \\UXXXXXXXX}). */
  private String rawUnicodeEscape(Level l, byte[] b) throws PickleException {
    StringBuilder s = new StringBuilder(b.length);
    for (int i = 0; i < b.length; i++) {
      int c = b[i] & 0xFF;
      if (c == '\\' && i + 1 < b.length && (b[i + 1] == 'u' || b[i + 1] == 'U')) {
        int digits = b[i + 1] == 'u' ? 4 : 8;
        if (i + 1 + digits >= b.length) {
          throw malformed(l, "UNICODE has a short escape");
        }
        int cp = 0;
        for (int k = 0; k < digits; k++) {
          cp = cp * 16 + hex(l, b[i + 2 + k]);
        }
        if (cp < 0 || cp > Character.MAX_CODE_POINT) {
          throw malformed(l, "UNICODE escape is not a code point");
        }
        s.appendCodePoint(cp);
        i += 1 + digits;
      } else {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  /** UTF-8 as CPython decodes pickle text ({@code surrogatepass}: lone surrogates are kept). */
  private String utf8(Level l, byte[] b) throws PickleException {
    String s = PickleScalars.utf8SurrogatePass(b);
    if (s == null) {
      throw malformed(l, "string is not valid UTF-8");
    }
    return s;
  }

  // ---- errors -----------------------------------------------------------------------------------

  private PickleException crossed(Level l) {
    return malformed(
        l,
        "an opcode argument crosses the end of its FRAME (pickle.load and pickle.loads read"
            + " different opcodes from here)");
  }

  private static PickleException malformed(Level l, String reason) {
    return PickleException.malformed(reason, l.opStart);
  }

  /** A short Python type name of a decoded value, for messages. */
  public static String typeName(Object o) {
    if (o instanceof String || isSkipped(o, "str")) {
      return "str";
    }
    if (o instanceof Long || o instanceof BigInteger || isSkipped(o, "int")) {
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
    if (o instanceof PyBytes || isSkipped(o, "bytes")) {
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
