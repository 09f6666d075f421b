package dev.modelseal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs the whole demo: a real S3-compatible server, real ONNX Runtime, both attacks. */
class DemoTest {
  @Test
  void demo_deploysTheGenuineModelAndRefusesBothAttacks() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Path home = Path.of("..").toAbsolutePath().normalize();
    int code = Demo.run(out, home, false);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text)
        .contains(
            "[7/8] Deploy", "attestation verified", "ONNX Runtime session from the verified bytes")
        .contains("scanned the verified bytes: no code would run on load")
        .contains("modified: model.onnx")
        .contains("nothing published at serving/digits-next")
        .contains("the attestation's signature does not verify")
        .doesNotContain("UNEXPECTED");
  }
}
