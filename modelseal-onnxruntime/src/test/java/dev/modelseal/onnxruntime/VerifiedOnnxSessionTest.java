package dev.modelseal.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modelseal.InvalidInputException;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.testing.SharedVectors;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedOnnxSessionTest {
  @TempDir Path dir;

  private static ModelPin pinOf(Path model) throws Exception {
    return ModelPin.of(
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(model))
            .pin());
  }

  @Test
  void realModel_sessionFromVerifiedBytes_onDiskAndInMemory() throws Exception {
    Path onnx =
        Files.copy(
            SharedVectors.resolve("vectors/real/silero-vad/silero_vad.onnx"),
            dir.resolve("silero_vad.onnx"));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    ModelPin pin = pinOf(onnx);
    try (VerifiedModel m = pin.open(onnx);
        OrtSession s =
            VerifiedOnnxSession.create(
                env, m, "silero_vad.onnx", new OrtSession.SessionOptions())) {
      assertThat(s.getInputNames()).isNotEmpty();
    }
    try (VerifiedModel m = pin.openInMemory(onnx);
        OrtSession s =
            VerifiedOnnxSession.create(
                env, m, "silero_vad.onnx", new OrtSession.SessionOptions())) {
      assertThat(s.getOutputNames()).isNotEmpty();
    }
  }

  @Test
  void externalData_loadedFromThePrivateCopy_refusedInMemory() throws Exception {
    // A model written by onnx 1.12 with its initializers in common_external.data.
    Path fixtures = Path.of("../modelseal-formats/src/test/resources/fixtures/onnx");
    Path model = Files.createDirectories(dir.resolve("ext"));
    Files.copy(fixtures.resolve("common_external.onnx"), model.resolve("model.onnx"));
    Files.copy(fixtures.resolve("common_external.data"), model.resolve("common_external.data"));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    ModelPin pin = pinOf(model);
    try (VerifiedModel m = pin.open(model);
        OrtSession s =
            VerifiedOnnxSession.create(env, m, "model.onnx", new OrtSession.SessionOptions())) {
      assertThat(s.getOutputNames()).contains("f32");
    }
    try (VerifiedModel m = pin.openInMemory(model)) {
      assertThatThrownBy(
              () ->
                  VerifiedOnnxSession.create(env, m, "model.onnx", new OrtSession.SessionOptions()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("private copy");
    }
    // The data file left out of the verified model (an ignore path): refused, never read from disk.
    WalkOptions skipData =
        WalkOptions.defaults().ignoring(java.util.List.of("common_external.data"));
    ModelPin withoutData =
        ModelPin.of(
                ModelHasher.of(Serialization.defaults().withWalk(skipData))
                    .hash(ModelWalker.with(skipData).walk(model))
                    .pin())
            .ignoring("common_external.data");
    try (VerifiedModel m = withoutData.open(model)) {
      assertThatThrownBy(
              () ->
                  VerifiedOnnxSession.create(env, m, "model.onnx", new OrtSession.SessionOptions()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(
              "external data 'common_external.data' is not a file of the verified model");
    }
  }

  @Test
  void truncatedModel_refusedBeforeOnnxRuntimeSeesIt() throws Exception {
    byte[] full =
        Files.readAllBytes(SharedVectors.resolve("vectors/real/silero-vad/silero_vad.onnx"));
    Path onnx = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(full, full.length / 3));
    try (VerifiedModel m = pinOf(onnx).openInMemory(onnx)) {
      assertThatThrownBy(
              () ->
                  VerifiedOnnxSession.create(
                      OrtEnvironment.getEnvironment(),
                      m,
                      "cut.onnx",
                      new OrtSession.SessionOptions()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("not a valid ONNX model");
    }
  }

  @Test
  void externalDataReferences_foundInInitializers() {
    // ModelProto{graph{initializer{name "w", data_location EXTERNAL, external_data{location}}}}
    byte[] entry = msg(concat(str(1, "location"), str(2, "weights.bin")));
    byte[] tensor = concat(str(8, "w"), field(13, entry), new byte[] {(byte) (14 << 3), 1});
    byte[] graph = field(5, tensor);
    byte[] model = concat(new byte[] {8, 8}, field(7, graph));
    assertThat(ExternalDataReferences.of(ByteBuffer.wrap(model))).containsExactly("weights.bin");
    byte[] internal = concat(new byte[] {8, 8}, field(7, field(5, str(8, "w"))));
    assertThat(ExternalDataReferences.of(ByteBuffer.wrap(internal))).isEmpty();
    byte[] lying = concat(new byte[] {8, 8}, new byte[] {(7 << 3) | 2, 100, 1});
    assertThatThrownBy(() -> ExternalDataReferences.of(ByteBuffer.wrap(lying)))
        .hasMessageContaining("past the end");
  }

  private static byte[] field(int f, byte[] body) {
    return concat(new byte[] {(byte) ((f << 3) | 2), (byte) body.length}, body);
  }

  private static byte[] msg(byte[] body) {
    return body;
  }

  private static byte[] str(int f, String s) {
    return field(f, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }
}
