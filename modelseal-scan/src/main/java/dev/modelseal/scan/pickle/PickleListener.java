package dev.modelseal.scan.pickle;

/** Receives what {@link PickleWalker} meets, with the offset of the opcode that did it. */
public interface PickleListener {
  /**
   * A global named as text: {@code opcode} is GLOBAL, INST or STACK_GLOBAL; for STACK_GLOBAL the
   * operands may have come from the memo.
   */
  void global(long offset, String opcode, String module, String name);

  /** STACK_GLOBAL whose operands are not both short strings: the import cannot be named. */
  void unnamedGlobal(long offset, String reason);

  /** EXT1/EXT2/EXT4: a global taken from the copyreg extension registry by number. */
  void extension(long offset, long code);

  /**
   * The BUILD of one of joblib's pre-0.10 array wrappers ({@code NDArrayWrapper}, {@code
   * ZNDArrayWrapper}), which makes {@code joblib.load} read another file: {@code filename} is the
   * state's {@code filename} when it is a short string, else null (the walk cannot name it).
   */
  default void joblibFile(long offset, String wrapper, String filename) {}
}
