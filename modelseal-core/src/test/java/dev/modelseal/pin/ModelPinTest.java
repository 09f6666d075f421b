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
    String pin = manifestOf(dir).pin().toString();
    try (VerifiedModel m = ModelPin.of(pin).open(dir, staging)) {
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
    try (VerifiedModel m = ModelPin.of(manifestOf(f).pin()).openInMemory(f)) {
      assertThat(m.isSingleFile()).isTrue();
      assertThat(m.readAllBytes()).isEqualTo(Files.readAllBytes(f));
      assertThat(m.directory()).isEmpty();
    }
  }

  @Test
  void open_wrongPin_throwsAndLeavesNoCopy() throws Exception {
    write(dir, "model.onnx", bytes(100, 1));
    String other = "pin:v1:sha256:" + "00".repeat(32);
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
  void ignoring_appliesToTheRootPin() throws Exception {
    write(dir, "a.bin", "a");
    Digest root = manifestOf(dir).root();
    write(dir, "notes.txt", "added later");
    assertThatThrownBy(() -> ModelPin.ofOmsRoot(root).check(dir))
        .isInstanceOf(ModelMismatchException.class);
    assertThat(ModelPin.ofOmsRoot(root).ignoring("notes.txt").check(dir).root()).isEqualTo(root);
  }

  @Test
  void ignoring_isPartOfThePin() throws Exception {
    write(dir, "a.bin", "a");
    write(dir, "notes.txt", "notes");
    Serialization ignoringNotes =
        Serialization.files(
            dev.modelseal.digest.HashAlgorithm.SHA256,
            WalkOptions.defaults().ignoring(java.util.List.of("notes.txt")));
    Manifest m =
        ModelHasher.of(ignoringNotes).hash(ModelWalker.with(ignoringNotes.walk()).walk(dir));
    write(dir, "notes.txt", "other notes");
    assertThat(ModelPin.of(m.pin()).ignoring("notes.txt").check(dir).pin()).isEqualTo(m.pin());
    Files.delete(dir.resolve("notes.txt"));
    // Same files, but the pin was made ignoring notes.txt and this check does not ignore it.
    assertThatThrownBy(() -> ModelPin.of(m.pin()).check(dir))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("hash options");
  }

  @Test
  void renamedFilesThatKeepTheOmsRoot_areRefusedByAPin() throws Exception {
    write(dir, "model.onnx", "approved model");
    write(dir, "model_old.onnx", "old model");
    Manifest approved = manifestOf(dir);
    // model.onnx -> model-a.onnx, model_old.onnx -> model.onnx: the name order keeps the digests'
    // order ('-' < '.' < '_'), so the OMS root stays the same.
    Files.move(dir.resolve("model.onnx"), dir.resolve("model-a.onnx"));
    Files.move(dir.resolve("model_old.onnx"), dir.resolve("model.onnx"));
    Manifest swapped = manifestOf(dir);
    assertThat(swapped.root()).isEqualTo(approved.root());
    assertThat(swapped.pin()).isNotEqualTo(approved.pin());
    assertThatThrownBy(() -> ModelPin.of(approved.pin().toString()).open(dir, staging))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("expected " + approved.pin())
        .hasMessageContaining("got " + swapped.pin());
    assertThatThrownBy(() -> ModelPin.of(approved.pin()).openInMemory(dir))
        .isInstanceOf(ModelMismatchException.class);
    assertThatThrownBy(() -> ModelPin.of(approved).check(dir))
        .isInstanceOfSatisfying(
            ModelMismatchException.class,
            e -> assertThat(e.comparison().orElseThrow().modified()).containsExactly("model.onnx"));
    try (var s = Files.list(staging)) {
      assertThat(s.toList()).isEmpty();
    }
    // The named relaxation accepts the root alone, and then reads the old model as model.onnx.
    try (VerifiedModel m = ModelPin.ofOmsRoot(approved.root().toString()).open(dir, staging)) {
      assertThat(new String(m.readAllBytes("model.onnx"))).isEqualTo("old model");
    }
  }

  @Test
  void of_omsRoot_refusedSayingWhy() throws Exception {
    write(dir, "a.bin", "a");
    String root = manifestOf(dir).root().toString();
    assertThatThrownBy(() -> ModelPin.of(root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OMS root digest, which does not bind file names")
        .hasMessageContaining("ModelPin.ofOmsRoot");
    assertThat(ModelPin.ofOmsRoot(root).check(dir).root().toString()).isEqualTo(root);
  }

  @Test
  void of_malformedDigest_rejected() {
    assertThatThrownBy(() -> ModelPin.of("sha256:abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelPin.of("md5:" + "00".repeat(16)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelPin.of("pin:v1:sha256:" + "zz".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-hex");
    assertThatThrownBy(() -> ModelPin.of("pin:v1:sha256:" + "00".repeat(31)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> ModelPin.of("pin:v2:sha256:" + "00".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelPin.ofOmsRoot("sha256:" + "zz".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-hex");
  }

  @Test
  void verifiedModel_rejectsUnknownNamesAndUseAfterClose() throws Exception {
    write(dir, "a.bin", "a");
    VerifiedModel m = ModelPin.of(manifestOf(dir).pin()).open(dir, staging);
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
    assertThat(lock.entry("./models/tiny-model/").manifest().root().toString())
        .isEqualTo(lock.pin("tiny-model").expected());
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
