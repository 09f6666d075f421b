package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelseal fingerprint} and {@code modelseal diff}: output and exit codes. */
class FingerprintCommandTest {
  private static final Path FIXTURES =
      Paths.get("..", "modelseal-formats", "src", "test", "resources", "fixtures");

  @TempDir Path dir;

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

  @Test
  void fingerprint_printsWeightsAndContent() {
    Result r = run("fingerprint", fx("common.safetensors"));
    assertThat(r.code).isZero();
    assertThat(r.out).startsWith("weights sha256:").contains("\ncontent sha256:");
    assertThat(run("fingerprint", fx("common.gguf")).out).isEqualTo(r.out);
    assertThat(run("fingerprint", fx("sharded")).out).isEqualTo(r.out);
  }

  @Test
  void fingerprint_severalPaths_eachInTurn_aFailureReportedAndTheRestRead() {
    Result one = run("fingerprint", fx("common.safetensors"));
    Result r = run("fingerprint", fx("common.safetensors"), fx("no-such-model"), fx("common.gguf"));
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out)
        .isEqualTo(fx("common.safetensors") + "\n" + one.out + fx("common.gguf") + "\n" + one.out);
    assertThat(r.err.lines())
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("modelseal: ").contains("no-such-model"));
    Result ok = run("fingerprint", "--json", fx("common.safetensors"), fx("common.gguf"));
    assertThat(ok.code).isZero();
    assertThat(ok.out.lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\""));
    assertThat(ok.err).isEmpty();
  }

  @Test
  void fingerprint_pytorchZipLegacyAndTorchScript() {
    Result st = run("fingerprint", fx("common.safetensors"));
    assertThat(run("fingerprint", fx("common.pt")).out).isEqualTo(st.out);
    assertThat(run("fingerprint", fx("common_legacy.pt")).out).isEqualTo(st.out);
    Result j = run("fingerprint", "--json", "--tensors", fx("tiny_script.pt"));
    assertThat(j.code).isZero();
    assertThat(j.out)
        .contains("\"format\" : \"torchscript\"")
        .contains("\"name\" : \"lin.weight\"");
    Result d = run("diff", fx("common.pt"), fx("common_legacy.pt"));
    assertThat(d.code).isZero();
  }

  @Test
  void fingerprint_tfliteInlineAndExternalBuffers() {
    Result r = run("fingerprint", "--json", "--tensors", fx("tflite/common.tflite"));
    assertThat(r.code).isZero();
    assertThat(r.out).contains("\"format\" : \"tflite\"").contains("\"name\" : \"0/f32_3d\"");
    Result plain = run("fingerprint", fx("tflite/common.tflite"));
    assertThat(plain.code).isZero();
    assertThat(run("fingerprint", fx("tflite/common_external.tflite")).out).isEqualTo(plain.out);
  }

  @Test
  void fingerprint_savedModelDirectory() {
    String shared = System.getProperty("modelseal.shared");
    Path sm =
        shared == null
            ? null
            : Paths.get(shared, "vectors", "real", "tf-savedmodel", "saved_model");
    Assumptions.assumeTrue(
        (sm != null && Files.isDirectory(sm))
            || Boolean.parseBoolean(System.getProperty("modelseal.requireShared")) && fail(sm),
        "shared vector tf-savedmodel missing");
    Result r = run("fingerprint", "--json", "--tensors", sm.toString());
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out)
        .contains("\"format\" : \"savedmodel\"")
        .contains("\"name\" : \"a\"")
        .contains("\"name\" : \"c\"");
  }

  private static boolean fail(Path p) {
    throw new AssertionError("shared vector missing: " + p);
  }

  @Test
  void fingerprint_tensorsAndJson() {
    Result t = run("fingerprint", "--tensors", fx("scalar.npy"));
    assertThat(t.out).contains("float32[]  scalar");
    Result j = run("fingerprint", "--json", "--tensors", fx("common.npz"));
    assertThat(j.code).isZero();
    assertThat(j.out)
        .contains("\"format\" : \"npz\"")
        .contains("\"definition\" : \"modelseal-fingerprint/v1\"")
        .contains("\"name\" : \"empty\"");
  }

  @Test
  void fingerprint_errorIsOneLineExit2() throws Exception {
    Path bad = dir.resolve("model.safetensors");
    Files.write(bad, new byte[] {1, 2, 3});
    Result r = run("fingerprint", bad.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err.strip()).doesNotContain("\n").startsWith("modelseal: " + bad + ": ");
    assertThat(r.err).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void fingerprint_missingFile_exit2() throws Exception {
    Result r = run("fingerprint", dir.resolve("missing.npy").toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("no such file");
  }

  @Test
  void fingerprint_unknownFormatByContent_exit2() throws Exception {
    Path p = dir.resolve("model.safetensors");
    Files.writeString(p, "not a model at all");
    Result r = run("fingerprint", p.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("not a recognised tensor format");
  }

  @Test
  void fingerprint_formatChosenByContentNotExtension() throws Exception {
    Path p = dir.resolve("looks-like.npy");
    Files.copy(FIXTURES.resolve("common.gguf"), p);
    assertThat(run("fingerprint", p.toString()).out)
        .isEqualTo(run("fingerprint", fx("common.safetensors")).out);
  }

  @Test
  void fingerprint_onnxTypedAndExternal_sameAsSafetensors() {
    String st = run("fingerprint", fx("common.safetensors")).out;
    assertThat(run("fingerprint", fx("onnx/common_typed.onnx")).out).isEqualTo(st);
    assertThat(run("fingerprint", fx("onnx/common_external.onnx")).out).isEqualTo(st);
  }

  @Test
  void diff_sameAcrossFormats_exit0() {
    Result r = run("diff", fx("common.npz"), fx("common.gguf"));
    assertThat(r.code).isZero();
    assertThat(r.out).startsWith("SAME weights sha256:");
  }

  @Test
  void diff_renamed_exit1() {
    Result r = run("diff", fx("common.gguf"), fx("common_renamed.gguf"));
    assertThat(r.code).isEqualTo(1);
    assertThat(r.out).contains("10 renamed").contains("only names differ");
    assertThat(r.out).contains("renamed  f32 -> blk.0.f32");
  }

  @Test
  void diff_addedRemoved_json() {
    Result r = run("diff", "--json", fx("common.safetensors"), fx("all.safetensors"));
    assertThat(r.code).isEqualTo(1);
    assertThat(r.out).contains("\"same\" : false").contains("\"added\"").contains("\"bf16\"");
  }

  @Test
  void diff_badAtol_exit2() {
    Result r = run("diff", "--atol", "-1", fx("common.npz"), fx("common.gguf"));
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("--atol");
  }

  @Test
  void hostileTensorName_printedEscaped() throws Exception {
    String header =
        "{\"a\\nweights sha256:0000\\u001b[2J\":"
            + "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(8 + h.length + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put((byte) 1);
    Path p = dir.resolve("m.safetensors");
    Files.write(p, b.array());
    Result r = run("fingerprint", "--tensors", p.toString());
    assertThat(r.code).isZero();
    assertThat(r.out.lines()).hasSize(3);
    assertThat(r.out).contains("a\\u000aweights sha256:0000\\u001b[2J").doesNotContain("\u001b");
  }
}
