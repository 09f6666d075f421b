package dev.modelseal.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The optical-digits data set shipped with the demo (see DIGITS-NOTICE.md): 1,797 images of 8x8
 * pixel counts (0..16) with their digit. Pixels are scaled to 0..1.
 *
 * @param x one row of 64 features per sample
 * @param y the digit of each sample
 */
record Digits(float[][] x, int[] y) {
  static final int FEATURES = 64;
  static final int CLASSES = 10;

  /** Loads the bundled data. */
  static Digits load() {
    try (InputStream raw = Digits.class.getResourceAsStream("digits.csv.gz")) {
      if (raw == null) {
        throw new IllegalStateException("digits.csv.gz missing from the demo's resources");
      }
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
      List<float[]> xs = new ArrayList<>();
      List<Integer> ys = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        float[] row = new float[FEATURES];
        int col = 0;
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
          if (i == line.length() || line.charAt(i) == ',') {
            int v = Integer.parseInt(line.substring(start, i).strip());
            if (col < FEATURES) {
              row[col] = v / 16f;
            } else {
              ys.add(v);
            }
            col++;
            start = i + 1;
          }
        }
        if (col != FEATURES + 1) {
          throw new IllegalStateException("digits.csv.gz: a row has " + col + " columns");
        }
        xs.add(row);
      }
      int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
      return new Digits(xs.toArray(new float[0][]), y);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int size() {
    return y.length;
  }

  /** A deterministic split: {@code [train, test]} with {@code testFraction} held out. */
  Digits[] split(double testFraction, long seed) {
    int n = size();
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Random rnd = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int nTest = (int) Math.round(n * testFraction);
    return new Digits[] {subset(idx, nTest, n), subset(idx, 0, nTest)};
  }

  private Digits subset(int[] idx, int from, int to) {
    float[][] sx = new float[to - from][];
    int[] sy = new int[to - from];
    for (int i = from; i < to; i++) {
      sx[i - from] = x[idx[i]];
      sy[i - from] = y[idx[i]];
    }
    return new Digits(sx, sy);
  }
}
