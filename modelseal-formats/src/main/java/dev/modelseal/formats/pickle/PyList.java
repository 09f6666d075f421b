package dev.modelseal.formats.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python list, filled by the interpreter ({@code APPEND}, {@code APPENDS}); read-only to callers.
 * Equality is identity.
 */
public final class PyList {
  private final List<Object> items = new ArrayList<>();

  PyList() {}

  void add(Object o) {
    items.add(o);
  }

  /** The items, read-only. */
  public List<Object> items() {
    return Collections.unmodifiableList(items);
  }

  @Override
  public String toString() {
    return "list(" + items.size() + ")";
  }
}
