package dev.modelseal.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.keys.PemFiles;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.testing.SharedVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundles the Python reference made (model_signing 0.2.0 to 1.1.0), verified the way the
 * reference's own scripts verify them: single-file models against the file {@code signme-1}, {@code
 * ignore-me} ignored for v1.0.1, certificate bundles against {@code keys/ca-cert.pem}.
 */
class HistoricalVectorsTest {
  static Stream<String> keyVectors() {
    return Stream.of(
        "v0.3.1-elliptic-key", "v1.0.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-elliptic-key");
  }

  static Stream<String> certificateVectors() {
    return Stream.of(
        "v0.2.0-certificate",
        "v0.3.1-certificate",
        "v1.0.0-certificate",
        "v1.0.1-certificate",
        "v1.1.0-certificate");
  }

  static Stream<String> allVectors() {
    return Stream.concat(keyVectors(), certificateVectors());
  }

  static OmsVerifier verifierFor(String vector) throws Exception {
    Path mt = SharedVectors.modelTransparency();
    OmsVerifier v =
        vector.endsWith("-elliptic-key")
            ? OmsVerifier.withPublicKey(
                PemFiles.readPublicKey(mt.resolve("keys/signing-key-pub.pem")))
            : OmsVerifier.withTrustAnchors(
                PemFiles.readCertificates(mt.resolve("keys/ca-cert.pem")));
    return vector.startsWith("v1.0.1") ? v.ignoring(List.of("ignore-me")) : v;
  }

  /** The model path the reference verifies: the directory, or signme-1 for single-file models. */
  static Path modelOf(Path dir) {
    return Files.exists(dir.resolve("signme-2")) ? dir : dir.resolve("signme-1");
  }

  @ParameterizedTest
  @MethodSource("allVectors")
  void verify_historicalBundle_succeeds(String vector) throws Exception {
    Path dir = SharedVectors.modelTransparency().resolve(vector);
    Manifest m = verifierFor(vector).check(modelOf(dir), dir.resolve("model.sig"));
    assertThat(m.resources()).isNotEmpty();
    Path model = modelOf(dir);
    try (VerifiedModel vm = verifierFor(vector).open(model, dir.resolve("model.sig"))) {
      Path first = model.equals(dir) ? dir.resolve("signme-1") : model;
      assertThat(vm.readAllBytes("signme-1")).isEqualTo(Files.readAllBytes(first));
    }
  }

  @ParameterizedTest
  @MethodSource("allVectors")
  void verify_oneByteChanged_throwsNamingTheFile(String vector, @TempDir Path tmp)
      throws Exception {
    Path copy = copyVector(vector, tmp);
    Path f = copy.resolve("signme-1");
    byte[] b = Files.readAllBytes(f);
    b[b.length / 2] ^= 1;
    Files.write(f, b);
    assertThatThrownBy(() -> verifierFor(vector).check(modelOf(copy), copy.resolve("model.sig")))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("modified: signme-1");
  }

  @ParameterizedTest
  @MethodSource("certificateVectors")
  void verify_fileRemoved_throwsNamingTheFile(String vector, @TempDir Path tmp) throws Exception {
    Path copy = copyVector(vector, tmp);
    Files.delete(copy.resolve("signme-2"));
    assertThatThrownBy(() -> verifierFor(vector).check(copy, copy.resolve("model.sig")))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("missing: signme-2");
  }

  @ParameterizedTest
  @MethodSource("certificateVectors")
  void verify_fileAdded_throwsNamingTheFile(String vector, @TempDir Path tmp) throws Exception {
    Path copy = copyVector(vector, tmp);
    Files.writeString(copy.resolve("added.bin"), "x");
    assertThatThrownBy(() -> verifierFor(vector).check(copy, copy.resolve("model.sig")))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("extra: added.bin");
    // ...unless unsigned files are ignored, by name.
    assertThat(
            verifierFor(vector)
                .ignoreUnsignedFiles()
                .check(copy, copy.resolve("model.sig"))
                .resources())
        .extracting(r -> r.name())
        .containsExactly("signme-1", "signme-2");
  }

  @Test
  void verify_keyBundleWithCertificateVerifier_throwsWrongMethod() throws Exception {
    Path dir = SharedVectors.modelTransparency().resolve("v1.1.0-elliptic-key");
    assertThatThrownBy(() -> verifierFor("v1.1.0-certificate").check(dir, dir.resolve("model.sig")))
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e ->
                assertThat(e.failure())
                    .isEqualTo(SignatureVerificationException.Failure.WRONG_METHOD));
  }

  static Path copyVector(String vector, Path tmp) throws IOException {
    Path src = SharedVectors.modelTransparency().resolve(vector);
    Path dst = tmp.resolve(vector);
    Files.createDirectories(dst);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(src)) {
      s.forEach(files::add);
    }
    for (Path p : files) {
      Files.copy(p, dst.resolve(p.getFileName().toString()));
    }
    return dst;
  }
}
