package dev.modelseal.formats.pickle;

/** Python's {@code None}. */
public enum PyNone {
  /** The single value. */
  NONE;

  @Override
  public String toString() {
    return "None";
  }
}
