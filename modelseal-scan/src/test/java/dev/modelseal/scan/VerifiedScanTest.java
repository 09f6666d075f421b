package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.IntegrityException;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library policy: scan a verified model's verified bytes, never the original path. */
class VerifiedScanTest {
  @TempDir Path dir;

  private static ModelPin pinOf(Path model) throws Exception {
    return ModelPin.of(
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(model))
            .pin());
  }

  @Test
  void require_cleanModel_returnsScannedHandle() throws Exception {
    Path m = Files.copy(Fixtures.of("torch_clean.pt"), dir.resolve("model.pt"));
    ModelPin pin = pinOf(m);
    try (VerifiedModel vm = pin.open(m)) {
      ScannedModel s = ModelScanner.create().require(vm, Severity.MEDIUM);
      assertThat(s.model()).isSameAs(vm);
      assertThat(s.report().imports()).isNotEmpty();
    }
    try (VerifiedModel vm = pin.openInMemory(m)) {
      assertThat(ModelScanner.create().require(vm, Severity.LOW).report().findings()).isEmpty();
    }
  }

  @Test
  void require_payload_throwsIntegrityFailureNamingTheFinding() throws Exception {
    Path m = Files.createDirectories(dir.resolve("model"));
    Files.copy(Fixtures.of("object_system.npz"), m.resolve("arrays.npz"));
    Files.writeString(m.resolve("config.json"), "{}");
    ModelPin pin = pinOf(m);
    try (VerifiedModel vm = pin.open(m)) {
      assertThatThrownBy(() -> ModelScanner.create().require(vm, Severity.MEDIUM))
          .isInstanceOf(UnsafeModelException.class)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("critical pickle.dangerous-import")
          .hasMessageContaining("model/arrays.npz: member 'o.npy'");
    }
  }

  @Test
  void scan_readsTheVerifiedCopy_notTheOriginal() throws Exception {
    Path m = Files.copy(Fixtures.of("torch_clean.pt"), dir.resolve("model.pt"));
    ModelPin pin = pinOf(m);
    try (VerifiedModel vm = pin.open(m)) {
      // The original is swapped for a payload after verification: the scan must not see it.
      Files.copy(
          Fixtures.of("torch_system.pt"), m, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(ModelScanner.create().scan(vm).findings()).isEmpty();
    }
  }
}
