package dev.modelseal.formats.pickle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python dict (or {@code collections.OrderedDict}) in insertion order. Keys that are strings,
 * numbers, booleans, {@code None} or bytes are compared by value, so a later duplicate key replaces
 * the value in place as in Python; other keys (tuples, objects) are compared by identity, so that
 * no hostile key costs more than constant time to hash. Equality of dicts is identity.
 */
public final class PyDict {
  private final Map<Object, Map.Entry<Object, Object>> entries = new LinkedHashMap<>();

  private final List<Object> states = new ArrayList<>();

  PyDict() {}

  /**
   * A new empty dict, for a resolver that maps a call (such as {@code OrderedDict()}) to a dict.
   */
  public static PyDict empty() {
    return new PyDict();
  }

  /**
   * A dict of {@code pairs} in order, as {@code OrderedDict(pairs)} builds it: a later duplicate
   * key replaces the value in place.
   */
  public static PyDict ofPairs(List<Map.Entry<Object, Object>> pairs) {
    PyDict d = new PyDict();
    for (Map.Entry<Object, Object> e : pairs) {
      d.put(e.getKey(), e.getValue());
    }
    return d;
  }

  void addState(Object s) {
    states.add(s);
  }

  /**
   * The states {@code BUILD} applied (instance attributes of a dict subclass, such as the {@code
   * _metadata} of a PyTorch state dict), read-only.
   */
  public List<Object> states() {
    return Collections.unmodifiableList(states);
  }

  void put(Object key, Object value) {
    entries.put(hashKey(key), Map.entry(key, value));
  }

  private static Object hashKey(Object k) {
    if (k instanceof String
        || k instanceof Long
        || k instanceof BigInteger
        || k instanceof Double
        || k instanceof Boolean
        || k instanceof PyNone
        || k instanceof PyBytes
        || k instanceof PyGlobal) {
      return k;
    }
    return new IdentityKey(k);
  }

  /** The entries in insertion order (key, value), read-only. */
  public List<Map.Entry<Object, Object>> entries() {
    return Collections.unmodifiableList(new ArrayList<>(entries.values()));
  }

  /** The value for a string key, or null. */
  public Object get(String key) {
    Map.Entry<Object, Object> e = entries.get(key);
    return e == null ? null : e.getValue();
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "dict(" + entries.size() + ")";
  }

  private static final class IdentityKey {
    private final Object o;

    IdentityKey(Object o) {
      this.o = o;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof IdentityKey k && k.o == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(o);
    }
  }
}
