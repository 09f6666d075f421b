package dev.modelseal.pin;

import static dev.modelseal.testing.TempModels.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLockTest {
  @TempDir Path dir;

  private Manifest hash(Path model, Serialization s) throws Exception {
    return ModelHasher.of(s).hash(ModelWalker.with(s.walk()).walk(model));
  }

  private ModelLock sample() throws Exception {
    Path a = dir.resolve("a");
    write(a, "w.bin", "1");
    write(a, "skip/x", "2");
    Path b = dir.resolve("b");
    write(b, "big.bin", "0123456789abcdef");
    WalkOptions w = WalkOptions.defaults().ignoring(List.of("skip"));
    return ModelLock.of(
        List.of(
            new LockEntry("a", hash(a, Serialization.files(HashAlgorithm.BLAKE2B, w))),
            new LockEntry(
                "b",
                hash(b, Serialization.shards(HashAlgorithm.SHA256, 5, WalkOptions.defaults())))));
  }

  @Test
  void writeThenRead_roundTripsEveryField() throws Exception {
    ModelLock lock = sample();
    Path f = dir.resolve("modelseal.lock");
    lock.write(f);
    ModelLock back = ModelLock.read(f);
    assertThat(back.entries()).isEqualTo(lock.entries());
    assertThat(back.pin("a").check(dir.resolve("a")).root())
        .isEqualTo(lock.entries().get(0).manifest().root());
    assertThat(back.pin("b").check(dir.resolve("b")).resources()).hasSize(4);
  }

  private static void assertMalformed(String json, String reason) {
    assertThatThrownBy(
            () -> ModelLock.parse(json.getBytes(StandardCharsets.UTF_8), Path.of("bad.lock")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("bad.lock: malformed lock file")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private String valid() throws Exception {
    return sample().toJson();
  }

  @Test
  void malformed_notJson() {
    assertMalformed("{\"lockVersion\": 1, ", "not valid JSON");
    assertMalformed("[]", "not a JSON object");
    assertMalformed("", "not");
  }

  @Test
  void malformed_versionAndStructure() throws Exception {
    assertMalformed("{\"lockVersion\": 2, \"models\": []}", "lockVersion must be 1");
    assertMalformed("{\"lockVersion\": 1, \"models\": []}", "no models");
    assertMalformed("{\"lockVersion\": 1, \"models\": {}}", "models must be an array");
    assertMalformed(
        valid().replace("\"lockVersion\" : 1,", "\"lockVersion\" : 1, \"lockVersion\" : 1,"),
        "Duplicate field");
  }

  @Test
  void malformed_digestsAndNames() throws Exception {
    String v = valid();
    String firstDigest =
        v.substring(v.indexOf("\"digest\" : \"") + 12, v.indexOf("\"digest\" : \"") + 12 + 20);
    assertMalformed(v.replaceFirst(firstDigest, firstDigest.replace(':', ';')), "digest");
    assertMalformed(
        v.replace("\"name\" : \"w.bin\"", "\"name\" : \"../w.bin\""), "'..' path component");
    assertMalformed(
        v.replace("\"name\" : \"w.bin\"", "\"name\" : \"/etc/passwd\""), "absolute path");
    assertMalformed(v.replace("\"name\" : \"w.bin\"", "\"name\" : \"a\\\\b\""), "backslash");
    assertMalformed(
        v.replace("\"hash_type\" : \"blake2b\"", "\"hash_type\" : \"md5\""), "unsupported hash");
  }

  @Test
  void malformed_rootDoesNotMatchResources() throws Exception {
    String v = valid();
    int i = v.indexOf("\"root\" : \"sha256:") + 17;
    char c = v.charAt(i);
    String tampered = v.substring(0, i) + (c == '0' ? '1' : '0') + v.substring(i + 1);
    assertMalformed(tampered, "root does not match its resources");
  }

  @Test
  void entries_carryTheirPin_andATamperedPinIsRefused() throws Exception {
    ModelLock lock = sample();
    String v = lock.toJson();
    String pin = lock.entries().get(0).manifest().pin().toString();
    assertThat(v).contains("\"pin\" : \"" + pin + "\"");
    assertThat(lock.pin("a").pin()).contains(lock.entries().get(0).manifest().pin());
    int i = v.indexOf("\"pin\" : \"pin:v1:sha256:") + 23;
    char c = v.charAt(i);
    String tampered = v.substring(0, i) + (c == '0' ? '1' : '0') + v.substring(i + 1);
    assertMalformed(tampered, "models[0].pin does not match its resources");
    assertMalformed(v.replace("\"pin\" : \"pin:v1:", "\"pin\" : \"pin:v9:"), "a pin looks like");
  }

  @Test
  void lockWithoutPins_fromBeforePins_isReadAndStillComparesNames() throws Exception {
    ModelLock lock = sample();
    String old = lock.toJson().replaceAll("\"pin\" : \"pin:v1:sha256:[0-9a-f]{64}\",", "");
    assertThat(old).doesNotContain("pin:v1");
    ModelLock back = ModelLock.parse(old.getBytes(StandardCharsets.UTF_8), Path.of("old.lock"));
    assertThat(back.entries()).isEqualTo(lock.entries());
  }

  @Test
  void bytesTakenForUtf32_areMalformed_notACrash() {
    // Found by TrustParserFuzzTest#lockFile: Jackson reads leading NULs as UTF-32.
    byte[] b = new byte[100];
    b[96] = '{';
    b[97] = 0x1f;
    b[98] = ' ';
    b[99] = '"';
    assertThatThrownBy(() -> ModelLock.parse(b, Path.of("bad.lock")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("bad.lock: malformed lock file");
  }

  @Test
  void fieldsInAnyOrder_andUnknownFieldsIgnored() throws Exception {
    String v = sample().toJson();
    String reordered =
        "{\"models\": "
            + v.substring(v.indexOf("["), v.lastIndexOf("]") + 1)
            + ", \"comment\": {\"x\": [1]}, \"lockVersion\": 1}";
    assertThat(
            ModelLock.parse(reordered.getBytes(StandardCharsets.UTF_8), Path.of("r.lock"))
                .entries())
        .isEqualTo(sample().entries());
    assertMalformed(v + "{}", "trailing content");
  }

  @Test
  void write_refusesALockThatReadingWouldRefuse_andWritesNothing() throws Exception {
    List<dev.modelseal.manifest.ResourceDigest> resources = new java.util.ArrayList<>();
    for (int i = 0; i < 66; i++) {
      resources.add(
          new dev.modelseal.manifest.ResourceDigest(
              String.format("%02d", i) + "n".repeat(1 << 20),
              dev.modelseal.digest.Digest.sha256(new byte[32]),
              1));
    }
    ModelLock big =
        ModelLock.of(
            List.of(new LockEntry("m", Manifest.of("m", Serialization.defaults(), resources))));
    Path f = dir.resolve("big.lock");
    assertThatThrownBy(() -> big.write(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the lock file would be")
        .hasMessageContaining("over the " + ModelLock.MAX_BYTES);
    assertThat(f).doesNotExist();
  }

  @Test
  void oversizedLockFile_refusedBeforeReading() throws Exception {
    Path f = dir.resolve("huge.lock");
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(ModelLock.MAX_BYTES + 1L); // sparse: costs no disk
    }
    assertThatThrownBy(() -> ModelLock.read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void entry_unknownModel() throws Exception {
    assertThatThrownBy(() -> sample().entry("c"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no lock entry for 'c'");
  }

  @Test
  void write_isAtomicAndLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("modelseal.lock");
    Files.writeString(f, "old");
    sample().write(f);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList())
          .isEmpty();
    }
    assertThat(Files.readString(f)).startsWith("{");
  }
}
