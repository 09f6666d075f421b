package dev.modelseal.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedCopyTest {
  @TempDir Path dir;

  static final Map<String, byte[]> FILES = new TreeMap<>();

  static {
    FILES.put("a.bin", "alpha".getBytes(StandardCharsets.UTF_8));
    FILES.put("sub/b.bin", "bravo bravo".getBytes(StandardCharsets.UTF_8));
    FILES.put("empty", new byte[0]);
  }

  Manifest localManifest(Serialization s) throws Exception {
    Path m = dir.resolve("local/model");
    for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
      Path p = m.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    return ModelHasher.of(s).hash(ModelWalker.with(WalkOptions.defaults()).walk(m));
  }

  static void stream(StagedCopy c, Map<String, byte[]> files) throws Exception {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      StagedCopy.StagedFile f = c.newFile(e.getKey(), e.getValue().length);
      byte[] b = e.getValue();
      for (int i = 0; i < b.length; i += 3) {
        f.write(b, i, Math.min(3, b.length - i));
      }
      f.finish();
    }
  }

  @Test
  void streamedManifest_equalsHasherManifest_filesAndShards() throws Exception {
    for (Serialization s :
        new Serialization[] {
          Serialization.defaults(),
          Serialization.shards(dev.modelseal.digest.HashAlgorithm.SHA256, 4, WalkOptions.defaults())
        }) {
      Manifest expected = localManifest(s);
      try (StagedCopy c = StagedCopy.hashOnly(s, "model")) {
        stream(c, FILES);
        assertThat(ModelPin.of(expected).check(c).resources()).isEqualTo(expected.resources());
      }
    }
  }

  @Test
  void publish_match_renamesIntoPlace_mismatch_leavesNothing() throws Exception {
    Manifest expected = localManifest(Serialization.defaults());
    Path out = dir.resolve("out");
    Path target = out.resolve("model");
    try (StagedCopy c = StagedCopy.create(Serialization.defaults(), "model", out)) {
      Map<String, byte[]> evil = new TreeMap<>(FILES);
      evil.put("a.bin", "alphA".getBytes(StandardCharsets.UTF_8));
      stream(c, evil);
      assertThatThrownBy(() -> ModelPin.of(expected).publish(c, target, false))
          .isInstanceOf(ModelMismatchException.class)
          .hasMessageContaining("modified: a.bin");
    }
    assertThat(target).doesNotExist();
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s).isEmpty();
    }
    try (StagedCopy c = StagedCopy.create(Serialization.defaults(), "model", out)) {
      stream(c, FILES);
      ModelPin.of(expected).publish(c, target, false);
    }
    assertThat(Files.readAllBytes(target.resolve("sub/b.bin"))).isEqualTo(FILES.get("sub/b.bin"));
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s).containsExactly(target);
    }
  }

  @Test
  void publish_check_seesTheVerifiedBytes_refusalLeavesNothing() throws Exception {
    Manifest expected = localManifest(Serialization.defaults());
    Path out = dir.resolve("out");
    Path target = out.resolve("model");
    List<String> seen = new ArrayList<>();
    try (StagedCopy c = StagedCopy.create(Serialization.defaults(), "model", out)) {
      stream(c, FILES);
      assertThatThrownBy(
              () ->
                  ModelPin.of(expected)
                      .publish(
                          c,
                          target,
                          false,
                          m -> {
                            seen.add(new String(m.readAllBytes("a.bin"), StandardCharsets.UTF_8));
                            throw new InvalidInputException(m.file("a.bin"), "refused by check");
                          }))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("refused by check");
    }
    assertThat(seen).containsExactly("alpha");
    assertThat(target).doesNotExist();
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s).isEmpty();
    }
    // The check is not run on a copy that does not match: it never sees unverified bytes.
    try (StagedCopy c = StagedCopy.create(Serialization.defaults(), "model", out)) {
      Map<String, byte[]> evil = new TreeMap<>(FILES);
      evil.put("a.bin", "alphA".getBytes(StandardCharsets.UTF_8));
      stream(c, evil);
      assertThatThrownBy(
              () -> ModelPin.of(expected).publish(c, target, false, m -> seen.add("ran")))
          .isInstanceOf(ModelMismatchException.class);
    }
    assertThat(seen).containsExactly("alpha");
    // A passing check publishes, and the published files survive the view's close.
    try (StagedCopy c = StagedCopy.create(Serialization.defaults(), "model", out)) {
      stream(c, FILES);
      ModelPin.of(expected).publish(c, target, false, m -> seen.add(m.rootDigest().toString()));
    }
    assertThat(seen).containsExactly("alpha", expected.root().toString());
    assertThat(Files.readAllBytes(target.resolve("a.bin"))).isEqualTo(FILES.get("a.bin"));
  }

  @Test
  void verify_handsOutTheStagedBytes_andDeletesThemOnClose() throws Exception {
    Manifest expected = localManifest(Serialization.defaults());
    Path out = dir.resolve("out");
    VerifiedModel v;
    try (StagedCopy c = StagedCopy.create(Serialization.defaults(), "model", out)) {
      stream(c, FILES);
      v = ModelPin.of(expected).verify(c);
    }
    assertThat(v.readAllBytes("a.bin")).isEqualTo(FILES.get("a.bin"));
    v.close();
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void writes_beyondOrShortOfTheAnnouncedSize_fail() throws Exception {
    try (StagedCopy c = StagedCopy.hashOnly(Serialization.defaults(), "m")) {
      StagedCopy.StagedFile f = c.newFile("x", 2);
      assertThatThrownBy(() -> f.write(new byte[3], 0, 3))
          .isInstanceOf(ModelIoException.class)
          .hasMessageContaining("x: more bytes arrived than its announced size of 2");
      f.write(new byte[1], 0, 1);
      assertThatThrownBy(f::finish)
          .isInstanceOf(ModelIoException.class)
          .hasMessageContaining("x: truncated: received 1 of 2 bytes");
      assertThatThrownBy(() -> ModelPin.of("pin:v1:sha256:" + "0".repeat(64)).check(c))
          .isInstanceOf(ModelIoException.class)
          .hasMessageContaining("not completely received");
    }
  }

  @Test
  void unsafeOrDuplicateNames_refused() throws Exception {
    try (StagedCopy c = StagedCopy.create(Serialization.defaults(), "m", dir)) {
      for (String bad : new String[] {"../x", "/etc/passwd", "a\\b", "a//b", "./a", ""}) {
        assertThatThrownBy(() -> c.newFile(bad, 0))
            .as(bad)
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("refused resource name");
      }
      c.newFile("ok", 0);
      assertThatThrownBy(() -> c.newFile("ok", 0))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("duplicate");
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).isEmpty();
    }
  }
}
