package dev.modelseal.formats.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal protobuf writer for building hostile ONNX files in tests. */
final class Pb {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Pb of() {
    return new Pb();
  }

  Pb raw(byte... b) {
    out.writeBytes(b);
    return this;
  }

  Pb raw(int... b) {
    for (int x : b) {
      out.write(x);
    }
    return this;
  }

  Pb rawVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  Pb varint(int field, long v) {
    return rawVarint((long) field << 3).rawVarint(v);
  }

  Pb bytes(int field, byte[] b) {
    rawVarint(((long) field << 3) | 2).rawVarint(b.length);
    out.writeBytes(b);
    return this;
  }

  Pb string(int field, String s) {
    return bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  Pb msg(int field, Pb m) {
    return bytes(field, m.bytes());
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** A ModelProto (ir_version 8) around {@code graph}. */
  static byte[] model(Pb graph) {
    return of().varint(1, 8).string(2, "test").msg(7, graph).bytes();
  }

  /** A float32 TensorProto with raw_data. */
  static Pb floats(String name, long[] dims, float... v) {
    Pb t = of();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, 1).string(8, name);
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return t.bytes(9, b.array());
  }

  /** A graph of initializers. */
  static Pb graph(Pb... initializers) {
    Pb g = of().string(2, "g");
    for (Pb t : initializers) {
      g.msg(5, t);
    }
    return g;
  }
}
