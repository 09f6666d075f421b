package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.oci.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pull}, {@code verify} and {@code sign} of oci:// against a real registry on 127.0.0.1. */
class OciCommandsTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  static TestRegistry reg;
  static int repos;
  Path key;
  Path pub;
  Map<String, byte[]> files;
  String repo;

  @BeforeAll
  static void start() throws Exception {
    reg = TestRegistry.start(Files.createDirectories(shared.resolve("reg")), false);
  }

  @AfterAll
  static void stop() throws Exception {
    if (reg != null) {
      reg.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    TestKeys keys = TestKeys.ecP256(tmp);
    key = keys.key();
    pub = keys.pub();
    files = new LinkedHashMap<>();
    byte[] w = new byte[200_000];
    new Random(++repos).nextBytes(w); // blobs are shared across repositories: one per test
    files.put("weights.bin", w);
    files.put("config.json", "{}".getBytes(StandardCharsets.UTF_8));
    repo = "team/model" + repos;
  }

  String uri(String tag) {
    return "oci://" + reg.host() + "/" + repo + ":" + tag;
  }

  static CliRun run(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("--plain-http");
    if (!"sign".equals(args[0])) {
      a.addAll(List.of("--read-timeout", "5", "--attempts", "2"));
    }
    return CliRun.of(a.toArray(String[]::new));
  }

  Path twin() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("twin/" + repo.replace('/', '-')));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    return dir;
  }

  String pinOfTwin() throws Exception {
    CliRun h = CliRun.of("hash", twin().toString(), "--pin");
    assertThat(h.code()).as(h.err()).isZero();
    return h.out().trim();
  }

  @Test
  void pullWithAPin() throws Exception {
    reg.push(repo, "v1", files);
    Path out = tmp.resolve("out/model");
    CliRun r = run("pull", uri("v1"), "--to", out.toString(), "--digest", pinOfTwin());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Pulled " + uri("v1") + " (sha256:");
    assertThat(Files.readAllBytes(out.resolve("weights.bin"))).isEqualTo(files.get("weights.bin"));
    CliRun exists = run("pull", uri("v1"), "--to", out.toString(), "--digest", pinOfTwin());
    assertThat(exists.code()).isEqualTo(2);
    assertThat(exists.err()).contains("target already exists");
  }

  @Test
  void pullWithALockEntryNamedLikeTheRepository() throws Exception {
    reg.push(repo, "v1", files);
    Path dir =
        Files.createDirectories(tmp.resolve("lockdir/" + repo.substring(repo.indexOf('/') + 1)));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    Path lock = tmp.resolve("modelseal.lock");
    assertThat(CliRun.of("lock", dir.toString(), "-o", lock.toString()).code()).isZero();
    Path out = tmp.resolve("locked/model");
    CliRun r = run("pull", uri("v1"), "--to", out.toString(), "--lock", lock.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // the tag moves to a model with one more file: the lock names it
    Map<String, byte[]> more = new LinkedHashMap<>(files);
    more.put("extra.py", "import os".getBytes(StandardCharsets.UTF_8));
    reg.push(repo, "v1", more);
    CliRun bad =
        run(
            "pull",
            uri("v1"),
            "--to",
            tmp.resolve("locked2/model").toString(),
            "--lock",
            lock.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("NOT VERIFIED " + uri("v1")).contains("extra    extra.py");
  }

  @Test
  void signVerifyAndPullWithOnlyThePublicKey() throws Exception {
    reg.push(repo, "v1", files);
    CliRun s = run("sign", uri("v1"), "--key", key.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("from the layer digests").contains("referrer sha256:");
    CliRun v = run("verify", uri("v1"), "--public-key", pub.toString());
    assertThat(v.code()).as(v.err() + v.out()).isZero();
    assertThat(v.out()).startsWith("Verified " + uri("v1"));
    Path out = tmp.resolve("pulled/model");
    CliRun p = run("pull", uri("v1"), "--to", out.toString(), "--public-key", pub.toString());
    assertThat(p.code()).as(p.err() + p.out()).isZero();
    assertThat(Files.readAllBytes(out.resolve("config.json"))).isEqualTo(files.get("config.json"));
    // another key: not verified
    TestKeys other = TestKeys.ecP256(Files.createDirectories(tmp.resolve("other")));
    CliRun bad = run("verify", uri("v1"), "--public-key", other.pub().toString());
    assertThat(bad.code()).isEqualTo(1);
  }

  @Test
  void aRetaggedManifestIsRefused() throws Exception {
    reg.push(repo, "prod", files);
    assertThat(run("sign", uri("prod"), "--key", key.toString()).code()).isZero();
    Map<String, byte[]> evil = new LinkedHashMap<>(files);
    evil.put("weights.bin", "evil".getBytes(StandardCharsets.UTF_8));
    reg.push(repo, "prod", evil);
    CliRun v = run("verify", uri("prod"), "--public-key", pub.toString());
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.err()).contains("no signature is attached to this manifest");
    assertThat(v.err().lines()).hasSize(1);
    Path out = tmp.resolve("retag/model");
    CliRun p = run("pull", uri("prod"), "--to", out.toString(), "--public-key", pub.toString());
    assertThat(p.code()).isEqualTo(1);
    assertThat(out).doesNotExist();
  }

  @Test
  void aReplacedBlobIsNotPublished() throws Exception {
    String pin = pinOfTwin();
    TestRegistry.Pushed pushed = reg.push(repo, "v1", files);
    byte[] other = files.get("weights.bin").clone();
    other[7] ^= 1;
    Files.write(reg.blobFile(pushed.layerDigests().get("weights.bin")), other);
    Path out = tmp.resolve("t/model");
    CliRun r = run("pull", uri("v1"), "--to", out.toString(), "--digest", pin);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("not to its digest");
    assertThat(out).doesNotExist();
    try (var s = Files.list(out.getParent())) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void aModelThatWouldRunCodeIsNotPublishedWithScan() throws Exception {
    files.put(
        "weights.pt",
        Files.readAllBytes(
            Path.of(
                "..",
                "modelseal-scan",
                "src",
                "test",
                "resources",
                "fixtures",
                "torch_system.pt")));
    reg.push(repo, "v1", files);
    assertThat(run("sign", uri("v1"), "--key", key.toString()).code()).isZero();
    Path out = tmp.resolve("scan/model");
    CliRun plain = run("verify", uri("v1"), "--public-key", pub.toString());
    assertThat(plain.code()).as(plain.err()).isZero();
    CliRun r =
        run("pull", uri("v1"), "--to", out.toString(), "--public-key", pub.toString(), "--scan");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("UNSAFE " + uri("v1")).contains("nothing published");
    assertThat(out).doesNotExist();
  }

  @Test
  void httpsByDefaultAndUsageErrors() throws Exception {
    reg.push(repo, "v1", files);
    CliRun r = CliRun.of("verify", uri("v1"), "--public-key", pub.toString(), "--attempts", "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--plain-http");
    assertThat(r.err().lines()).hasSize(1);
    CliRun none = run("pull", uri("v1"), "--to", tmp.resolve("n").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("oci:// needs --digest, --lock, or a trust option");
    CliRun bad = run("pull", "oci://" + reg.host() + "/Team:v1", "--to", "x", "--digest", "y");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("bad repository");
  }

  @Test
  void pullAndVerifyUnderAPolicy_theRuleForTheRepositoryDecides() throws Exception {
    reg.push(repo, "v1", files);
    assertThat(run("sign", uri("v1"), "--key", key.toString()).code()).isZero();
    TestKeys other = TestKeys.ecP256(Files.createDirectories(tmp.resolve("other")));
    Path policy =
        Files.writeString(
            tmp.resolve("policy.json"),
            "{\"version\": 1, \"mode\": \"enforce\", \"rules\": ["
                + "{\"name\": \"elsewhere\", \"sources\": [\"oci://"
                + reg.host()
                + "/other/*\"], \"trust\": {\"publicKey\": \""
                + other.pub()
                + "\"}},"
                + "{\"name\": \"team\", \"sources\": [\"oci://"
                + reg.host()
                + "/team/*\"], \"trust\": {\"publicKey\": \""
                + pub
                + "\"}, \"scan\": \"high\"}]}");
    CliRun v = run("verify", uri("v1"), "--policy", policy.toString());
    assertThat(v.code()).as(v.err() + v.out()).isZero();
    assertThat(v.out()).startsWith("Policy " + policy + ": rule 'team' (enforce) decides for");
    Path out = tmp.resolve("policy/model");
    CliRun p = run("pull", uri("v1"), "--to", out.toString(), "--policy", policy.toString());
    assertThat(p.code()).as(p.err() + p.out()).isZero();
    assertThat(Files.readAllBytes(out.resolve("weights.bin"))).isEqualTo(files.get("weights.bin"));
    // the tag moved to an unsigned manifest: refused, nothing published
    Map<String, byte[]> more = new LinkedHashMap<>(files);
    more.put("extra.py", "import os".getBytes(StandardCharsets.UTF_8));
    reg.push(repo, "v1", more);
    Path out2 = tmp.resolve("policy/model2");
    CliRun bad = run("pull", uri("v1"), "--to", out2.toString(), "--policy", policy.toString());
    assertThat(bad.code()).as(bad.err() + bad.out()).isNotZero();
    assertThat(Files.exists(out2)).isFalse();
  }
}
