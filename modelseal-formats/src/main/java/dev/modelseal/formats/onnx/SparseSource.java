package dev.modelseal.formats.onnx;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.internal.Streams;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A {@code SparseTensorProto} materialised dense and row-major: zeros (all-zero bytes) except at
 * the given indices. The indices (int64, either linear {@code [NNZ]} or coordinates {@code [NNZ,
 * rank]}) must be strictly ascending and inside the shape, as the ONNX checker requires. The dense
 * tensor is built in memory on each {@link #open()}; its size was checked against {@code
 * ReadLimits.inMemoryTensorBytes()} by the reader.
 */
final class SparseSource implements TensorSource {
  private final TensorInfo info;
  private final TensorSource values;
  private final TensorSource indices;
  private final Path file;

  SparseSource(TensorInfo info, TensorSource values, TensorSource indices, Path file) {
    this.info = info;
    this.values = values;
    this.indices = indices;
    this.file = file;
  }

  @Override
  public TensorInfo info() {
    return info;
  }

  @Override
  public TensorStream open() throws ModelsealException {
    byte[] v = readAll(values);
    ByteBuffer idx = ByteBuffer.wrap(readAll(indices)).order(ByteOrder.LITTLE_ENDIAN);
    int width = info.dtype().bits() / 8;
    long nnz = values.info().elements();
    long[] shape = info.shape();
    long total = info.elements();
    byte[] dense = new byte[Math.toIntExact(info.byteLength())];
    long previous = -1;
    boolean coords = indices.info().rank() == 2;
    for (int k = 0; k < nnz; k++) {
      long linear;
      if (coords) {
        linear = 0;
        for (int d = 0; d < shape.length; d++) {
          long c = idx.getLong((k * shape.length + d) * 8);
          if (c < 0 || c >= shape[d]) {
            throw bad("coordinate " + c + " outside dimension " + shape[d]);
          }
          linear = linear * shape[d] + c;
        }
      } else {
        linear = idx.getLong(k * 8);
        if (linear < 0 || linear >= total) {
          throw bad("index " + linear + " outside its " + total + " elements");
        }
      }
      if (linear <= previous) {
        throw bad("indices are not strictly ascending");
      }
      previous = linear;
      System.arraycopy(v, k * width, dense, (int) (linear * width), width);
    }
    return Streams.canonical(Streams.memory(ByteBuffer.wrap(dense)), info, file, false);
  }

  private MalformedModelException bad(String reason) {
    return new MalformedModelException(
        file, "sparse tensor " + Quoted.of(info.name()) + ": " + reason);
  }

  private static byte[] readAll(TensorSource s) throws ModelsealException {
    byte[] out = new byte[Math.toIntExact(s.info().byteLength())];
    int pos = 0;
    try (TensorStream t = s.open()) {
      for (ByteBuffer b = t.next(); b != null; b = t.next()) {
        int n = b.remaining();
        b.get(out, pos, n);
        pos += n;
      }
    }
    return out;
  }
}
