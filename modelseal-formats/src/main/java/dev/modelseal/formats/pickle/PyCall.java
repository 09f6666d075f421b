package dev.modelseal.formats.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An opaque call the pickle asks for ({@code REDUCE}, {@code NEWOBJ}, {@code NEWOBJ_EX}, {@code
 * INST}, {@code OBJ}) that was recorded, never made: the callable (usually a {@link PyGlobal}), its
 * arguments, and what later opcodes did to the result ({@code BUILD} states, {@code SETITEMS} /
 * {@code APPENDS} items). Equality is identity.
 */
public final class PyCall {
  private final Object callable;
  private final PyTuple args;
  private final Object kwargs;
  private final String opcode;
  private final long offset;
  private final List<Object> states = new ArrayList<>();
  private final List<Object> items = new ArrayList<>();

  PyCall(Object callable, PyTuple args, Object kwargs, String opcode, long offset) {
    this.callable = callable;
    this.args = args;
    this.kwargs = kwargs;
    this.opcode = opcode;
    this.offset = offset;
  }

  /** The callable: a {@link PyGlobal}, or any other value the pickle put there. */
  public Object callable() {
    return callable;
  }

  /** The positional arguments. */
  public PyTuple args() {
    return args;
  }

  /** The keyword arguments of {@code NEWOBJ_EX}, or {@link PyNone#NONE}. */
  public Object kwargs() {
    return kwargs;
  }

  /** The opcode that asked for the call. */
  public String opcode() {
    return opcode;
  }

  /** The byte offset of that opcode. */
  public long offset() {
    return offset;
  }

  /** The states {@code BUILD} applied, in order, read-only. */
  public List<Object> states() {
    return Collections.unmodifiableList(states);
  }

  /**
   * What {@code APPEND(S)}, {@code SETITEM(S)} ({@link PyTuple} pairs) and {@code ADDITEMS} added,
   * read-only.
   */
  public List<Object> items() {
    return Collections.unmodifiableList(items);
  }

  void addState(Object s) {
    states.add(s);
  }

  void addItem(Object o) {
    items.add(o);
  }

  @Override
  public String toString() {
    return "call(" + callable + ")";
  }
}
