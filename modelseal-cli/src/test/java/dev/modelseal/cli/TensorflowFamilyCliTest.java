package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * {@code modelseal fingerprint} and {@code diff} on Keras HDF5, {@code .keras} and TF.js models.
 */
class TensorflowFamilyCliTest {
  private static final Path FIXTURES =
      Paths.get("..", "modelseal-formats", "src", "test", "resources", "fixtures");

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  private static String fx(String name) {
    return FIXTURES.resolve(name).toString();
  }

  private static String line(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void kerasH5_sameContentAsSafetensors() {
    Result k = run("fingerprint", fx("keras/common_model.h5"));
    Result st = run("fingerprint", fx("common.safetensors"));
    assertThat(k.code).as(k.err).isZero();
    assertThat(line(k.out, "content")).isEqualTo(line(st.out, "content"));
    assertThat(line(k.out, "weights")).isNotEqualTo(line(st.out, "weights"));
    Result j = run("fingerprint", "--json", "--tensors", fx("keras/common_model.h5"));
    assertThat(j.out)
        .contains("\"format\" : \"keras-h5\"")
        .contains("\"name\" : \"layer_f32/layer_f32/f32:0\"");
    assertThat(run("diff", fx("keras/common_model.h5"), fx("keras/common_weights.h5")).code)
        .isZero();
  }

  @Test
  void tfjs_sameFingerprintAsSafetensors_andDiffEqual() {
    Result t = run("fingerprint", fx("tfjs/common"));
    Result st = run("fingerprint", fx("tfjs/tfjs_set.safetensors"));
    assertThat(t.code).as(t.err).isZero();
    assertThat(t.out).isEqualTo(st.out);
    Result j = run("fingerprint", "--json", fx("tfjs/quantized/model.json"));
    assertThat(j.code).as(j.err).isZero();
    assertThat(j.out).contains("\"format\" : \"tfjs\"");
    Result d = run("diff", fx("tfjs/common/model.json"), fx("tfjs/tfjs_set.safetensors"));
    assertThat(d.code).as(d.out + d.err).isZero();
  }
}
