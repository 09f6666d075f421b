package dev.modelseal.formats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.formats.TensorStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Column-major to row-major conversion against a direct index computation. */
class StreamsTest {
  @Test
  void transposed_matchesIndexArithmetic_forRandomShapes() throws Exception {
    Random r = new Random(4);
    for (int trial = 0; trial < 200; trial++) {
      int rank = 1 + r.nextInt(4);
      long[] shape = new long[rank];
      int n = 1;
      for (int k = 0; k < rank; k++) {
        shape[k] = r.nextInt(5);
        n *= (int) shape[k];
      }
      int width = 1 << r.nextInt(4);
      byte[] fortran = new byte[n * width];
      r.nextBytes(fortran);
      byte[] want = new byte[n * width];
      int[] idx = new int[rank];
      for (int c = 0; c < n; c++) {
        int rem = c;
        for (int k = rank - 1; k >= 0; k--) {
          idx[k] = rem % (int) shape[k];
          rem /= (int) shape[k];
        }
        int f = 0;
        int stride = 1;
        for (int k = 0; k < rank; k++) {
          f += idx[k] * stride;
          stride *= (int) shape[k];
        }
        System.arraycopy(fortran, f * width, want, c * width, width);
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try (TensorStream s = Streams.transposed(ByteBuffer.wrap(fortran), shape, width)) {
        for (ByteBuffer b = s.next(); b != null; b = s.next()) {
          byte[] a = new byte[b.remaining()];
          b.get(a);
          got.writeBytes(a);
        }
      }
      assertThat(got.toByteArray()).as("trial %d", trial).isEqualTo(want);
    }
  }

  @Test
  void transposed_spansSeveralChunks() throws Exception {
    int rows = 3;
    int cols = Streams.CHUNK / 2 + 5;
    byte[] fortran = new byte[rows * cols];
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        fortran[j * rows + i] = (byte) (i * 31 + j);
      }
    }
    long count = 0;
    boolean ok = true;
    try (TensorStream s =
        Streams.transposed(ByteBuffer.wrap(fortran), new long[] {rows, cols}, 1)) {
      for (ByteBuffer b = s.next(); b != null; b = s.next()) {
        while (b.hasRemaining()) {
          long c = count++;
          int i = (int) (c / cols);
          int j = (int) (c % cols);
          ok &= b.get() == (byte) (i * 31 + j);
        }
      }
    }
    assertThat(count).isEqualTo((long) rows * cols);
    assertThat(ok).isTrue();
  }
}
