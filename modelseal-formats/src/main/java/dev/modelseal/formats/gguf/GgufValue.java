package dev.modelseal.formats.gguf;

import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value: a scalar, a string or an array of one scalar or string type (nested
 * arrays are rejected by the reader). Immutable plain data; nothing in it is ever interpreted.
 */
public final class GgufValue {
  /** The value types of the GGUF specification, by id. */
  public enum Type {
    /** 0. */
    UINT8,
    /** 1. */
    INT8,
    /** 2. */
    UINT16,
    /** 3. */
    INT16,
    /** 4. */
    UINT32,
    /** 5. */
    INT32,
    /** 6. */
    FLOAT32,
    /** 7. */
    BOOL,
    /** 8. */
    STRING,
    /** 9. */
    ARRAY,
    /** 10. */
    UINT64,
    /** 11. */
    INT64,
    /** 12. */
    FLOAT64;

    /** The type with this id, or null. */
    static Type byId(long id) {
      return id >= 0 && id < values().length ? values()[(int) id] : null;
    }
  }

  private final Type type;
  private final Object value;
  private final Type elementType;

  private GgufValue(Type type, Object value, Type elementType) {
    this.type = type;
    this.value = value;
    this.elementType = elementType;
  }

  static GgufValue scalar(Type type, Object value) {
    return new GgufValue(type, Objects.requireNonNull(value), null);
  }

  static GgufValue array(Type elementType, List<GgufValue> elements) {
    return new GgufValue(Type.ARRAY, List.copyOf(elements), elementType);
  }

  /** The value's type. */
  public Type type() {
    return type;
  }

  /** For an array, the element type; otherwise null. */
  public Type elementType() {
    return elementType;
  }

  /** The string of a {@code STRING} value. */
  public String asString() {
    if (type != Type.STRING) {
      throw new IllegalStateException("not a string: " + type);
    }
    return (String) value;
  }

  /** The integer of an integer value (a {@code UINT64} above 2^63-1 reads negative). */
  public long asLong() {
    if (!(value instanceof Long l)) {
      throw new IllegalStateException("not an integer: " + type);
    }
    return l;
  }

  /** The elements of an {@code ARRAY}. */
  @SuppressWarnings("unchecked")
  public List<GgufValue> elements() {
    if (type != Type.ARRAY) {
      throw new IllegalStateException("not an array: " + type);
    }
    return (List<GgufValue>) value;
  }

  /** Text for display: scalars as written, arrays summarised as {@code STRING[30522]}. */
  @Override
  public String toString() {
    if (type == Type.ARRAY) {
      return elementType + "[" + elements().size() + "]";
    }
    if (type == Type.UINT64) {
      return Long.toUnsignedString((Long) value);
    }
    return String.valueOf(value);
  }
}
