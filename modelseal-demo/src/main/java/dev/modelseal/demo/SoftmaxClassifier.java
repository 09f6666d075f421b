package dev.modelseal.demo;

import java.util.Random;

/**
 * Multinomial logistic regression (a linear layer and a softmax), trained by full-batch gradient
 * descent with L2 regularisation. Deterministic for a given seed. Small and dependency-free: the
 * demo's "training job".
 */
final class SoftmaxClassifier {
  final float[][] weights; // [FEATURES][CLASSES], as ONNX MatMul expects
  final float[] bias; // [CLASSES]

  private SoftmaxClassifier(float[][] weights, float[] bias) {
    this.weights = weights;
    this.bias = bias;
  }

  static SoftmaxClassifier train(Digits data, int epochs, double learningRate, long seed) {
    int f = Digits.FEATURES;
    int c = Digits.CLASSES;
    Random rnd = new Random(seed);
    double[][] w = new double[f][c];
    double[] b = new double[c];
    for (int i = 0; i < f; i++) {
      for (int k = 0; k < c; k++) {
        w[i][k] = rnd.nextGaussian() * 0.01;
      }
    }
    int n = data.size();
    double[] p = new double[c];
    for (int epoch = 0; epoch < epochs; epoch++) {
      double[][] gw = new double[f][c];
      double[] gb = new double[c];
      for (int s = 0; s < n; s++) {
        float[] x = data.x()[s];
        probabilities(w, b, x, p);
        p[data.y()[s]] -= 1.0;
        for (int k = 0; k < c; k++) {
          gb[k] += p[k];
        }
        for (int i = 0; i < f; i++) {
          double xi = x[i];
          if (xi != 0) {
            for (int k = 0; k < c; k++) {
              gw[i][k] += xi * p[k];
            }
          }
        }
      }
      for (int i = 0; i < f; i++) {
        for (int k = 0; k < c; k++) {
          w[i][k] -= learningRate * (gw[i][k] / n + 1e-4 * w[i][k]);
        }
      }
      for (int k = 0; k < c; k++) {
        b[k] -= learningRate * gb[k] / n;
      }
    }
    float[][] fw = new float[f][c];
    float[] fb = new float[c];
    for (int i = 0; i < f; i++) {
      for (int k = 0; k < c; k++) {
        fw[i][k] = (float) w[i][k];
      }
    }
    for (int k = 0; k < c; k++) {
      fb[k] = (float) b[k];
    }
    return new SoftmaxClassifier(fw, fb);
  }

  private static void probabilities(double[][] w, double[] b, float[] x, double[] out) {
    int c = b.length;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < c; k++) {
      double z = b[k];
      for (int i = 0; i < x.length; i++) {
        z += x[i] * w[i][k];
      }
      out[k] = z;
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int k = 0; k < c; k++) {
      out[k] = Math.exp(out[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < c; k++) {
      out[k] /= sum;
    }
  }

  /** The predicted digit of each sample (float arithmetic, as the ONNX graph computes it). */
  int[] predict(float[][] xs) {
    int[] out = new int[xs.length];
    for (int s = 0; s < xs.length; s++) {
      int best = 0;
      float bestZ = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < bias.length; k++) {
        float z = bias[k];
        for (int i = 0; i < xs[s].length; i++) {
          z += xs[s][i] * weights[i][k];
        }
        if (z > bestZ) {
          bestZ = z;
          best = k;
        }
      }
      out[s] = best;
    }
    return out;
  }
}
