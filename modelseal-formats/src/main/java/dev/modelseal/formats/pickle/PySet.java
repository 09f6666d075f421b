package dev.modelseal.formats.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python {@code set} or {@code frozenset}, as the list of items the pickle added (duplicates are
 * not merged: nothing is hashed). Equality is identity.
 */
public final class PySet {
  private final List<Object> items = new ArrayList<>();
  private final boolean frozen;

  PySet(boolean frozen) {
    this.frozen = frozen;
  }

  void add(Object o) {
    items.add(o);
  }

  /** The items, read-only. */
  public List<Object> items() {
    return Collections.unmodifiableList(items);
  }

  /** True for a {@code frozenset}. */
  public boolean isFrozen() {
    return frozen;
  }

  @Override
  public String toString() {
    return (frozen ? "frozenset(" : "set(") + items.size() + ")";
  }
}
