package dev.modelseal.formats.pickle;

import dev.modelseal.formats.FormatException;

/**
 * Decides what the calls and persistent ids of a pickle stand for, without running anything: a
 * reader accepts the few callables it knows (building a tensor description, a dict) and refuses the
 * rest with a {@link FormatException} naming them. {@link #INERT} records everything as opaque
 * nodes, for a scanner.
 */
public interface PickleResolver {
  /** Records every call as a {@link PyCall} and every persistent id as a {@link PyPersistentId}. */
  PickleResolver INERT =
      new PickleResolver() {
        @Override
        public Object call(Call c) {
          return c.inert();
        }

        @Override
        public Object persistentLoad(Object pid, long offset) {
          return new PyPersistentId(pid);
        }
      };

  /**
   * The value of a call the pickle asks for.
   *
   * @throws FormatException to refuse the call (the message names the callable)
   */
  Object call(Call call) throws FormatException;

  /**
   * The value of a persistent id.
   *
   * @throws FormatException to refuse it
   */
  Object persistentLoad(Object pid, long offset) throws FormatException;

  /**
   * What to leave on the stack after {@code BUILD} gave {@code target} its state ({@code target}
   * itself by default). A resolver of a format that writes data inline after that opcode (joblib's
   * arrays) reads it from {@code data}; the pickle then goes on after it.
   */
  default Object built(Object target, InlineData data) throws FormatException {
    return target;
  }

  /** The bytes of the pickle stream right after a {@code BUILD}, for {@link #built}. */
  interface InlineData {
    /** The offset of the next byte in the stream. */
    long offset();

    /** The bytes of the current {@code FRAME} not yet read (0 outside a frame). */
    long frameLeft();

    /** The next byte (0..255); the stream ending here is a {@link FormatException}. */
    int read() throws FormatException;

    /** Skips {@code n} bytes; the stream ending before is a {@link FormatException}. */
    void skip(long n) throws FormatException;

    /**
     * Interprets the pickle that starts here (with this resolver and the same limits) up to its
     * {@code STOP}, and returns its value.
     */
    Object pickle() throws FormatException;
  }

  /**
   * A call the pickle asks for.
   *
   * @param callable the callable value, usually a {@link PyGlobal}
   * @param args the positional arguments
   * @param kwargs the keyword arguments ({@code NEWOBJ_EX}) or {@link PyNone#NONE}
   * @param opcode the opcode name ({@code REDUCE}, {@code NEWOBJ}, {@code NEWOBJ_EX}, {@code INST},
   *     {@code OBJ})
   * @param offset the opcode's byte offset
   */
  record Call(Object callable, PyTuple args, Object kwargs, String opcode, long offset) {
    /** The opaque node recording this call. */
    public PyCall inert() {
      return new PyCall(callable, args, kwargs, opcode, offset);
    }

    /** True when the callable is the global {@code module.name}. */
    public boolean is(String module, String name) {
      return callable instanceof PyGlobal g && g.is(module, name);
    }
  }
}
