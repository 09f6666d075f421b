package dev.modelseal.demo;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the classifier as an ONNX model (protobuf wire format, written field by field from the
 * public onnx.proto field numbers): input {@code pixels} float[N,64], {@code MatMul} with the
 * weights, {@code Add} the bias, {@code Softmax} to output {@code probabilities} float[N,10]. IR
 * version 8, opset 13.
 */
final class OnnxExport {
  private static final int FLOAT = 1; // TensorProto.DataType.FLOAT

  private OnnxExport() {}

  static byte[] export(SoftmaxClassifier model, String producerVersion) {
    int f = Digits.FEATURES;
    int c = Digits.CLASSES;
    ByteBuffer w = ByteBuffer.allocate(4 * f * c).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < f; i++) {
      for (int k = 0; k < c; k++) {
        w.putFloat(model.weights[i][k]);
      }
    }
    ByteBuffer b = ByteBuffer.allocate(4 * c).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < c; k++) {
      b.putFloat(model.bias[k]);
    }
    Proto graph = new Proto();
    graph.message(1, node("matmul", "MatMul", new String[] {"pixels", "W"}, "logits_raw"));
    graph.message(1, node("add", "Add", new String[] {"logits_raw", "b"}, "logits"));
    graph.message(1, node("softmax", "Softmax", new String[] {"logits"}, "probabilities"));
    graph.string(2, "digits_softmax_regression");
    graph.message(5, tensor("W", new long[] {f, c}, w.array()));
    graph.message(5, tensor("b", new long[] {c}, b.array()));
    graph.message(11, valueInfo("pixels", f));
    graph.message(12, valueInfo("probabilities", c));

    Proto opset = new Proto();
    opset.string(1, "");
    opset.varint(2, 13);

    Proto model2 = new Proto();
    model2.varint(1, 8); // ir_version
    model2.string(2, "modelseal-demo");
    model2.string(3, producerVersion);
    model2.message(7, graph.bytes());
    model2.message(8, opset.bytes());
    return model2.bytes();
  }

  private static byte[] node(String name, String op, String[] inputs, String output) {
    Proto n = new Proto();
    for (String in : inputs) {
      n.string(1, in);
    }
    n.string(2, output);
    n.string(3, name);
    n.string(4, op);
    return n.bytes();
  }

  private static byte[] tensor(String name, long[] dims, byte[] raw) {
    Proto t = new Proto();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, FLOAT);
    t.string(8, name);
    t.message(9, raw);
    return t.bytes();
  }

  /** A float tensor value of shape [N, width] with a symbolic batch dimension. */
  private static byte[] valueInfo(String name, int width) {
    Proto batch = new Proto();
    batch.string(2, "N"); // dim_param
    Proto fixed = new Proto();
    fixed.varint(1, width); // dim_value
    Proto shape = new Proto();
    shape.message(1, batch.bytes());
    shape.message(1, fixed.bytes());
    Proto tensorType = new Proto();
    tensorType.varint(1, FLOAT); // elem_type
    tensorType.message(2, shape.bytes());
    Proto type = new Proto();
    type.message(1, tensorType.bytes());
    Proto vi = new Proto();
    vi.string(1, name);
    vi.message(2, type.bytes());
    return vi.bytes();
  }

  /** The protobuf wire format: varints and length-delimited fields. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
    }

    void string(int field, String s) {
      message(field, s.getBytes(StandardCharsets.UTF_8));
    }

    void message(int field, byte[] bytes) {
      raw(((long) field << 3) | 2);
      raw(bytes.length);
      out.writeBytes(bytes);
    }

    private void raw(long v) {
      long x = v;
      while ((x & ~0x7FL) != 0) {
        out.write((int) ((x & 0x7F) | 0x80));
        x >>>= 7;
      }
      out.write((int) x);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
