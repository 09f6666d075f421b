package dev.modelseal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainExportTest {
  @Test
  void trainedClassifier_isAccurate_andOnnxRuntimeAgreesWithIt() throws Exception {
    Digits[] split = Digits.load().split(0.2, 42);
    assertThat(split[0].size() + split[1].size()).isEqualTo(1797);
    SoftmaxClassifier model = SoftmaxClassifier.train(split[0], 150, 1.0, 7);
    int[] javaPred = model.predict(split[1].x());
    Evaluation e = Evaluation.of(javaPred, split[1].y(), Digits.CLASSES);
    assertThat(e.accuracy()).isGreaterThan(0.9);
    assertThat(e.macroF1()).isGreaterThan(0.9);

    byte[] onnx = OnnxExport.export(model, "test");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, split[1].x());
        OrtSession.Result r = s.run(Map.of("pixels", in))) {
      float[][] probs = (float[][]) r.get(0).getValue();
      int agree = 0;
      for (int i = 0; i < probs.length; i++) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
          if (probs[i][k] > probs[i][best]) {
            best = k;
          }
        }
        agree += best == javaPred[i] ? 1 : 0;
      }
      assertThat(agree).isEqualTo(probs.length);
    }
  }

  @Test
  void evaluation_macroF1() {
    Evaluation e = Evaluation.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}, 2);
    assertThat(e.accuracy()).isEqualTo(0.75);
    // class 0: tp1 fp1 fn0 -> 2/3; class 1: tp2 fp0 fn1 -> 4/5
    assertThat(e.macroF1())
        .isCloseTo((2.0 / 3 + 0.8) / 2, org.assertj.core.data.Offset.offset(1e-12));
  }
}
