package dev.modelseal.formats.pickle;

import java.util.Arrays;

/** A Python {@code bytes} or {@code bytearray}: an immutable copy of the bytes. */
public final class PyBytes {
  private final byte[] bytes;
  private final boolean mutable;

  PyBytes(byte[] bytes, boolean mutable) {
    this.bytes = bytes;
    this.mutable = mutable;
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** True for a {@code bytearray}. */
  public boolean isByteArray() {
    return mutable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PyBytes b && b.mutable == mutable && Arrays.equals(b.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return (mutable ? "bytearray(" : "bytes(") + bytes.length + ")";
  }
}
