package dev.modelseal.pin;

import static dev.modelseal.testing.TempModels.bytes;
import static dev.modelseal.testing.TempModels.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPinTest {
  @TempDir Path dir;
  @TempDir Path staging;

  private Manifest manifestOf(Path model) throws ModelsealException {
    return ModelHasher.of(Serialization.defaults())
        .hash(ModelWalker.with(WalkOptions.defaults()).walk(model));
  }

  @Test
  void open_matchingPin_givesTheVerifiedBytesFromAPrivateCopy() throws Exception {
    byte[] weights = bytes(6 * 1024 * 1024, 1);
    write(dir, "model.onnx", weights);
    write(dir, "config/cfg.json", "{\"a\":1}");
    write(dir, "empty.txt", "");
    Digest root = manifestOf(dir).root();
    try (VerifiedModel m = ModelPin.of(root.toString()).open(dir, staging)) {
      assertThat(m.rootDigest()).isEqualTo(root);
      assertThat(m.fileNames()).containsExactly("config/cfg.json", "empty.txt", "model.onnx");
      assertThat(m.readAllBytes("model.onnx")).isEqualTo(weights);
      ByteBuffer b = m.buffer("model.onnx");
      assertThat(b.isReadOnly()).isTrue();
      assertThat(b.remaining()).isEqualTo(weights.length);
      try (InputStream in = m.openStream("config/cfg.json")) {
        assertThat(new String(in.readAllBytes())).isEqualTo("{\"a\":1}");
      }
      Path copy = m.directory().orElseThrow();
      assertThat(copy.getParent()).isEqualTo(staging);
      assertThat(Files.getPosixFilePermissions(copy))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE);
      assertThat(Files.getPosixFilePermissions(m.file("model.onnx")))
          .containsExactly(PosixFilePermission.OWNER_READ);
      assertThat(m.readAllBytes("empty.txt")).isEmpty();
      m.close();
      assertThat(copy).doesNotExist();
    }
  }

  @Test
  void openInMemory_matchingPin_givesTheBytes() throws Exception {
    Path f = write(dir, "model.safetensors", bytes(1234, 2));
    Digest root = manifestOf(f).root();
    try (VerifiedModel m = ModelPin.of(root).openInMemory(f)) {
      assertThat(m.isSingleFile()).isTrue();
      assertThat(m.readAllBytes()).isEqualTo(Files.readAllBytes(f));
      assertThat(m.directory()).isEmpty();
    }
  }

  @Test
  void open_wrongPin_throwsAndLeavesNoCopy() throws Exception {
    write(dir, "model.onnx", bytes(100, 1));
    String other = "sha256:" + "00".repeat(32);
    assertThatThrownBy(() -> ModelPin.of(other).open(dir, staging))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("does not match its pin");
    try (var s = Files.list(staging)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void lockPin_namesModifiedMissingAndExtraFiles() throws Exception {
    write(dir, "a.bin", "a");
    write(dir, "b.bin", "b");
    write(dir, "c.bin", "c");
    ModelPin pin = ModelPin.of(manifestOf(dir));
    write(dir, "a.bin", "A");
    Files.delete(dir.resolve("b.bin"));
    write(dir, "d.bin", "d");
    assertThatThrownBy(() -> pin.check(dir))
        .isInstanceOfSatisfying(
            ModelMismatchException.class,
            e -> {
              var c = e.comparison().orElseThrow();
              assertThat(c.modified()).containsExactly("a.bin");
              assertThat(c.missing()).containsExactly("b.bin");
              assertThat(c.extra()).containsExactly("d.bin");
            })
        .hasMessageContaining("modified: a.bin; missing: b.bin; extra: d.bin");
  }

  @Test
  void ignoring_appliesToThePin() throws Exception {
    write(dir, "a.bin", "a");
    Digest root = manifestOf(dir).root();
    write(dir, "notes.txt", "added later");
    assertThatThrownBy(() -> ModelPin.of(root).check(dir))
        .isInstanceOf(ModelMismatchException.class);
    assertThat(ModelPin.of(root).ignoring("notes.txt").check(dir).root()).isEqualTo(root);
  }

  @Test
  void of_malformedDigest_rejected() {
    assertThatThrownBy(() -> ModelPin.of("sha256:abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelPin.of("md5:" + "00".repeat(16)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelPin.of("sha256:" + "zz".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-hex");
  }

  @Test
  void verifiedModel_rejectsUnknownNamesAndUseAfterClose() throws Exception {
    write(dir, "a.bin", "a");
    VerifiedModel m = ModelPin.of(manifestOf(dir).root()).open(dir, staging);
    assertThatThrownBy(() -> m.readAllBytes("../a.bin"))
        .isInstanceOf(java.util.NoSuchElementException.class);
    m.close();
    assertThatThrownBy(() -> m.readAllBytes("a.bin")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void lockFromClasspath_pinsByNameOrPath() throws Exception {
    // src/test/resources/pins/modelseal.lock pins exactly this tree.
    Path tiny = dir.resolve("tiny-model");
    write(tiny, "weights.bin", "weights v1\n");
    write(tiny, "config.json", "{}\n");
    ModelLock lock = ModelLock.fromClasspath("/pins/modelseal.lock");
    try (VerifiedModel m = lock.pin("tiny-model").openInMemory(tiny)) {
      assertThat(new String(m.readAllBytes("weights.bin"))).isEqualTo("weights v1\n");
    }
    assertThat(lock.entry("./models/tiny-model/").manifest().root())
        .isEqualTo(lock.pin("tiny-model").root());
    write(tiny, "weights.bin", "weights v2\n");
    assertThatThrownBy(() -> lock.pin("tiny-model").openInMemory(tiny))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("modified: weights.bin");
  }

  @Test
  void lockFromClasspath_missingResource() {
    assertThatThrownBy(() -> ModelLock.fromClasspath("/nope.lock"))
        .isInstanceOf(dev.modelseal.InvalidInputException.class)
        .hasMessage("classpath:/nope.lock: no such resource on the class path");
  }
}
