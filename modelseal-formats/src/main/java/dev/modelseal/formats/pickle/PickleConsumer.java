package dev.modelseal.formats.pickle;

import java.io.IOException;
import java.util.List;

/**
 * What a {@link PickleDecoder} hands the opcodes' meaning to. The decoder owns the stack, the marks
 * and the memo and decodes every scalar itself ({@link String}, {@link Long}, {@link
 * java.math.BigInteger}, {@link Double}, {@link Boolean}, {@link PyNone}, {@link PyBytes}, or
 * {@link PySkipped} for a value too long to hold); the consumer decides what globals, calls,
 * containers and {@code BUILD} stand for, and may return any value it likes for them (an inert tree
 * node, or an opaque marker when it keeps nothing). Nothing is ever imported or called.
 *
 * <p>A method returns {@code false}, or throws {@link PickleException}, where the consumer refuses
 * what the opcode asks; {@code offset} is always the opcode's offset.
 *
 * @param <X> the consumer's own checked failure (for example a format exception that names the
 *     file), passed through the decoder unchanged; {@link RuntimeException} for none
 */
public interface PickleConsumer<X extends Exception> {
  /** {@code GLOBAL}, {@code INST} or {@code STACK_GLOBAL} naming {@code module.name}. */
  Object global(String module, String name, String opcode, long offset) throws X, PickleException;

  /**
   * A global that cannot be named: a {@code GLOBAL} or {@code INST} line too long to hold, or a
   * {@code STACK_GLOBAL} whose operands are not both held strings (a {@link PySkipped}, or values
   * CPython refuses there); {@code reason} says which.
   */
  Object unnamedGlobal(String opcode, String reason, long offset) throws X, PickleException;

  /** {@code EXT1}, {@code EXT2} or {@code EXT4}: a global from the copyreg registry by number. */
  Object extension(long code, String opcode, long offset) throws X, PickleException;

  /**
   * A call ({@code REDUCE}, {@code NEWOBJ}, {@code NEWOBJ_EX}, {@code INST}, {@code OBJ}); {@code
   * kwargs} is {@link PyNone#NONE} except for {@code NEWOBJ_EX}.
   */
  Object call(Object callable, Object args, Object kwargs, String opcode, long offset)
      throws X, PickleException;

  /** {@code PERSID} or {@code BINPERSID}. */
  Object persistentLoad(Object pid, long offset) throws X, PickleException;

  /** {@code NEXT_BUFFER}: an out-of-band buffer. */
  Object nextBuffer(long offset) throws X, PickleException;

  /**
   * {@code BUILD}: {@code target} gets {@code state}; returns what is left on the stack. A format
   * that writes data inline after this opcode (joblib's arrays) reads it from {@code inline}.
   */
  Object build(Object target, Object state, Inline<X> inline, long offset)
      throws X, PickleException, IOException;

  /** A tuple of {@code items} ({@code EMPTY_TUPLE}, {@code TUPLE}, {@code TUPLE1..3}). */
  Object tuple(List<Object> items);

  /** A list of {@code items} ({@code EMPTY_LIST}, {@code LIST}). */
  Object list(List<Object> items);

  /** A dict of {@code keysAndValues} (an even count: {@code EMPTY_DICT}, {@code DICT}). */
  Object dict(List<Object> keysAndValues);

  /** A set ({@code EMPTY_SET}) or a frozenset ({@code FROZENSET}) of {@code items}. */
  Object set(List<Object> items, boolean frozen);

  /** {@code APPEND}, {@code APPENDS}: false when {@code target} takes no items. */
  boolean append(Object target, List<Object> items) throws X;

  /** {@code SETITEM}, {@code SETITEMS}: false when {@code target} takes no items. */
  boolean setItems(Object target, List<Object> keysAndValues) throws X;

  /** {@code ADDITEMS}: false when {@code target} takes no items. */
  boolean addItems(Object target, List<Object> items) throws X;

  /** The bytes of the stream right after a {@code BUILD}, for {@link #build}. */
  interface Inline<X extends Exception> {
    /** The offset of the next byte. */
    long offset();

    /** The bytes of the current {@code FRAME} not yet read (0 outside a frame). */
    long frameLeft();

    /** The next byte (0..255). */
    int read() throws IOException, PickleException;

    /** Skips {@code n} bytes. */
    void skip(long n) throws IOException, PickleException;

    /**
     * Decodes the pickle that starts here (a fresh stack and memo, the same consumer and opcode
     * budget) up to its {@code STOP}, and returns its value.
     */
    Object pickle() throws IOException, PickleException, X;
  }
}
