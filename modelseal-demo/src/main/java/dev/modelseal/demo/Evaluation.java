package dev.modelseal.demo;

/**
 * Classification metrics over predicted and true labels: accuracy and macro-averaged F1 (the mean
 * over classes of 2PR/(P+R), a class with no predictions and no samples counting as F1 = 0).
 *
 * @param accuracy fraction of correct predictions
 * @param macroF1 macro-averaged F1
 */
record Evaluation(double accuracy, double macroF1) {
  static Evaluation of(int[] predicted, int[] actual, int classes) {
    int correct = 0;
    int[] tp = new int[classes];
    int[] fp = new int[classes];
    int[] fn = new int[classes];
    for (int i = 0; i < actual.length; i++) {
      if (predicted[i] == actual[i]) {
        correct++;
        tp[actual[i]]++;
      } else {
        fp[predicted[i]]++;
        fn[actual[i]]++;
      }
    }
    double f1 = 0;
    for (int k = 0; k < classes; k++) {
      double denom = 2.0 * tp[k] + fp[k] + fn[k];
      f1 += denom == 0 ? 0 : 2.0 * tp[k] / denom;
    }
    return new Evaluation((double) correct / actual.length, f1 / classes);
  }
}
