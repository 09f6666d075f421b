package dev.modelseal.formats.pickle;

import java.util.Collections;
import java.util.List;

/** A Python tuple: an immutable list of values. Equality is identity (no deep comparisons). */
public final class PyTuple {
  static final PyTuple EMPTY = new PyTuple(List.of());

  private final List<Object> items;

  PyTuple(List<Object> items) {
    this.items = Collections.unmodifiableList(items);
  }

  /** The items. */
  public List<Object> items() {
    return items;
  }

  /** The number of items. */
  public int size() {
    return items.size();
  }

  /** Item {@code i}. */
  public Object get(int i) {
    return items.get(i);
  }

  @Override
  public String toString() {
    return "tuple(" + items.size() + ")";
  }
}
