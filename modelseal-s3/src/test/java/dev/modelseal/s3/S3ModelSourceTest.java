package dev.modelseal.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.pin.LockEntry;
import dev.modelseal.pin.ModelLock;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ModelSourceTest {
  static TestServer server;
  static Path serverDir;

  @TempDir Path tmp;
  String bucket;
  Map<String, byte[]> files;
  Path local;
  ModelPin pin;
  static int buckets;

  @BeforeAll
  static void startServer() throws Exception {
    serverDir = Files.createTempDirectory("s3proxy-test");
    server = TestServer.start(serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void upload() throws Exception {
    bucket = "models-" + (++buckets);
    server.createBucket(bucket);
    files = new LinkedHashMap<>();
    Random r = new Random(7);
    byte[] big = new byte[3 * 1024 * 1024 + 123]; // ranged: 3 parts of 1 MiB and a tail
    r.nextBytes(big);
    files.put("weights.bin", big);
    files.put("config.json", "{\"layers\":3}".getBytes(StandardCharsets.UTF_8));
    files.put("empty.txt", new byte[0]);
    files.put("tokenizer/vocab.txt", "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
    files.put("tokenizer/sub/merges.txt", "x y\n".getBytes(StandardCharsets.UTF_8));
    files.put("données/modèle-ü.txt", "unicode".getBytes(StandardCharsets.UTF_8));
    local = tmp.resolve("local/resnet");
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path p = local.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
      server.put(bucket, "team/resnet/" + e.getKey(), e.getValue());
    }
    // A manifest pin (as from a lock file or signature) names each differing file.
    pin =
        ModelPin.of(
            ModelHasher.of(Serialization.defaults())
                .hash(ModelWalker.with(WalkOptions.defaults()).walk(local)));
  }

  static dev.modelseal.manifest.Manifest manifestOf(Path dir) throws Exception {
    return ModelHasher.of(Serialization.defaults())
        .hash(ModelWalker.with(WalkOptions.defaults()).walk(dir));
  }

  S3Options options() {
    return S3Options.defaults()
        .endpoint(server.endpoint)
        .pathStyle(true)
        .ranged(2L << 20, 1L << 20)
        .timeouts(Duration.ofSeconds(2), Duration.ofMillis(700))
        .retries(3, Duration.ofMillis(10));
  }

  S3Uri model() {
    return S3Uri.parse("s3://" + bucket + "/team/resnet");
  }

  PulledModel pull(S3Options o, Path target) throws Exception {
    try (S3ModelSource s = S3ModelSource.create(o)) {
      return s.pull(model(), pin, target, false);
    }
  }

  void assertPublishedCopy(Path target) throws Exception {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      assertThat(Files.readAllBytes(target.resolve(e.getKey()))).isEqualTo(e.getValue());
    }
    assertNoStaging(target.getParent());
  }

  static void assertNoStaging(Path parent) throws Exception {
    if (!Files.exists(parent)) {
      return;
    }
    try (Stream<Path> s = Files.list(parent)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".modelseal-staging-"));
    }
  }

  @Test
  void pull_happyPath_publishesVerifiedCopy() throws Exception {
    Path target = tmp.resolve("out/resnet");
    PulledModel m = pull(options(), target);
    assertThat(m.rootDigest()).hasToString(pin.expected());
    assertThat(m.manifest().resources()).hasSize(files.size());
    assertPublishedCopy(target);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(target.resolve("weights.bin"))))
        .isEqualTo("r--r--r--");
    try (S3ModelSource s = S3ModelSource.create(options())) {
      assertThat(
              s.pull(model(), ModelPin.of(manifestOf(local).pin()), tmp.resolve("out/pin"), false)
                  .rootDigest())
          .hasToString(pin.expected());
    }
  }

  @Test
  void pull_sequentialAndUnranged_sameDigest() throws Exception {
    Path target = tmp.resolve("out/resnet");
    pull(options().parallelism(1).ranged(64L << 20, 32L << 20), target);
    assertPublishedCopy(target);
  }

  @Test
  void pull_gitExclusionsAndFolderMarkers_ignored() throws Exception {
    server.put(bucket, "team/resnet/.git/HEAD", "ref".getBytes(StandardCharsets.UTF_8));
    server.put(bucket, "team/resnet/tokenizer/", new byte[0]);
    Path target = tmp.resolve("out/resnet");
    pull(options(), target);
    assertThat(target.resolve(".git")).doesNotExist();
  }

  void assertRefused(Class<? extends Exception> type, String message) throws Exception {
    Path target = tmp.resolve("out/resnet");
    assertThatThrownBy(() -> pull(options(), target))
        .isInstanceOf(type)
        .hasMessageContaining(message);
    assertThat(target).doesNotExist();
    assertNoStaging(target.getParent());
  }

  @Test
  void pull_objectReplaced_nothingPublished() throws Exception {
    server.put(
        bucket, "team/resnet/config.json", "{\"layers\":4}".getBytes(StandardCharsets.UTF_8));
    assertRefused(ModelMismatchException.class, "modified: config.json");
  }

  @Test
  void pull_renamedObjectsThatKeepTheOmsRoot_refusedByThePin() throws Exception {
    bucket = "models-" + (++buckets);
    server.createBucket(bucket);
    Path approved = tmp.resolve("approved/resnet");
    Files.createDirectories(approved);
    Files.writeString(approved.resolve("model.onnx"), "approved model");
    Files.writeString(approved.resolve("model_old.onnx"), "old model");
    dev.modelseal.manifest.Manifest m = manifestOf(approved);
    // Renamed in the bucket: model.onnx -> model-a.onnx, model_old.onnx -> model.onnx.
    server.put(bucket, "team/resnet/model-a.onnx", "approved model".getBytes(UTF_8));
    server.put(bucket, "team/resnet/model.onnx", "old model".getBytes(UTF_8));
    Path target = tmp.resolve("out/swapped");
    try (S3ModelSource s = S3ModelSource.create(options())) {
      assertThatThrownBy(() -> s.pull(model(), ModelPin.of(m.pin()), target, false))
          .isInstanceOf(ModelMismatchException.class)
          .hasMessageContaining("expected " + m.pin());
      assertThat(target).doesNotExist();
      assertNoStaging(target.getParent());
      // The named relaxation takes the root alone, which the renamed objects keep.
      PulledModel pulled = s.pull(model(), ModelPin.ofOmsRoot(m.root()), target, false);
      assertThat(pulled.rootDigest()).isEqualTo(m.root());
      assertThat(Files.readString(target.resolve("model.onnx"))).isEqualTo("old model");
    }
  }

  @Test
  void pull_objectAdded_nothingPublished() throws Exception {
    server.put(bucket, "team/resnet/backdoor.py", "import os".getBytes(StandardCharsets.UTF_8));
    assertRefused(ModelMismatchException.class, "extra: backdoor.py");
  }

  @Test
  void pull_objectDeleted_nothingPublished() throws Exception {
    server.delete(bucket, "team/resnet/tokenizer/vocab.txt");
    assertRefused(ModelMismatchException.class, "missing: tokenizer/vocab.txt");
  }

  @Test
  void pull_objectTruncated_nothingPublished() throws Exception {
    byte[] w = files.get("weights.bin");
    server.put(bucket, "team/resnet/weights.bin", java.util.Arrays.copyOf(w, w.length - 1));
    assertRefused(ModelMismatchException.class, "modified: weights.bin");
  }

  @Test
  void pull_emptyPrefix_refused() throws Exception {
    try (S3ModelSource s = S3ModelSource.create(options())) {
      assertThatThrownBy(
              () ->
                  s.pull(
                      S3Uri.parse("s3://" + bucket + "/nothing"), pin, tmp.resolve("out/x"), false))
          .isInstanceOf(S3TransferException.class)
          .hasMessageContaining("no objects under this prefix");
    }
  }

  @Test
  void pull_targetExists_refusedUnlessReplace() throws Exception {
    Path target = tmp.resolve("out/resnet");
    Files.createDirectories(target);
    Files.writeString(target.resolve("old.txt"), "old");
    assertThatThrownBy(() -> pull(options(), target))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("already exists");
    try (S3ModelSource s = S3ModelSource.create(options())) {
      s.pull(model(), pin, target, true);
    }
    assertThat(target.resolve("old.txt")).doesNotExist();
    assertPublishedCopy(target);
  }

  @Test
  void pull_serverErrorsThenSuccess_retriesAndPublishes() throws Exception {
    try (FaultProxy f = new FaultProxy(server.endpoint, FaultProxy.Mode.ERROR_500, 2, 0)) {
      Path target = tmp.resolve("out/resnet");
      pull(options().endpoint(f.endpoint()).parallelism(1), target);
      assertPublishedCopy(target);
    }
  }

  @Test
  void pull_serverErrorsForever_boundedRetriesNothingPublished() throws Exception {
    try (FaultProxy f = new FaultProxy(server.endpoint, FaultProxy.Mode.ERROR_500, 1000, 0)) {
      Path target = tmp.resolve("out/resnet");
      assertThatThrownBy(() -> pull(options().endpoint(f.endpoint()), target))
          .isInstanceOf(S3TransferException.class)
          .hasMessageContaining("s3://" + bucket + "/team/resnet")
          .hasMessageContaining("gave up after 3 attempts: HTTP 500");
      assertThat(f.connections.get()).isLessThanOrEqualTo(3);
      assertThat(target).doesNotExist();
      assertNoStaging(target.getParent());
    }
  }

  @Test
  void pull_connectionClosedMidStream_resumesAndPublishes() throws Exception {
    try (FaultProxy f = new FaultProxy(server.endpoint, FaultProxy.Mode.CLOSE_AFTER, 2, 300_000)) {
      Path target = tmp.resolve("out/resnet");
      pull(options().endpoint(f.endpoint()).parallelism(1), target);
      assertPublishedCopy(target);
    }
  }

  @Test
  void pull_stallMidStream_timesOutNothingPublished() throws Exception {
    try (FaultProxy f =
        new FaultProxy(server.endpoint, FaultProxy.Mode.STALL_AFTER, 1000, 300_000)) {
      Path target = tmp.resolve("out/resnet");
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> pull(options().endpoint(f.endpoint()).parallelism(1), target))
          .isInstanceOf(S3TransferException.class)
          .hasMessageContaining("weights.bin")
          .hasMessageContaining("gave up after 3 attempts");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(target).doesNotExist();
      assertNoStaging(target.getParent());
    }
  }

  @Test
  void pull_twoConcurrentPulls_exactlyOnePublishes() throws Exception {
    Path target = tmp.resolve("out/resnet");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<PulledModel>> fs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Callable<PulledModel> c = () -> pull(options(), target);
        fs.add(pool.submit(c));
      }
      int ok = 0;
      int refused = 0;
      for (Future<PulledModel> f : fs) {
        try {
          f.get();
          ok++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause())
              .isInstanceOf(InvalidInputException.class)
              .hasMessageContaining("already exists");
          refused++;
        }
      }
      assertThat(ok).isEqualTo(1);
      assertThat(refused).isEqualTo(1);
      assertPublishedCopy(target);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pull_signatureFromBucketObject_verifies() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    KeyPair kp = g.generateKeyPair();
    VerificationKey pub = VerificationKey.of(kp.getPublic());
    OmsBundle b =
        OmsSigner.withKey(SigningKey.of(kp.getPrivate(), pub)).sign(local, WalkOptions.defaults());
    server.put(bucket, "team/resnet/model.sig", b.toJson());
    S3Uri sig = S3Uri.parse("s3://" + bucket + "/team/resnet/model.sig");
    Path target = tmp.resolve("out/resnet");
    try (S3ModelSource s = S3ModelSource.create(options())) {
      ModelPin p = OmsVerifier.withPublicKey(pub).pin(s.model(model()), sig.toString());
      s.pull(model(), p, target, false);
    }
    assertPublishedCopy(target);
    assertThat(target.resolve("model.sig")).doesNotExist();
  }

  @Test
  void verify_throughTheOneVerifier_defaultSignatureUnderThePrefix() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    VerificationKey pub = VerificationKey.of(kp.getPublic());
    OmsBundle b =
        OmsSigner.withKey(SigningKey.of(kp.getPrivate(), pub)).sign(local, WalkOptions.defaults());
    server.put(bucket, "team/resnet/model.sig", b.toJson());
    try (S3ModelSource s = S3ModelSource.create(options())) {
      OmsVerifier v = OmsVerifier.withPublicKey(pub);
      Manifest expected =
          ModelHasher.of(Serialization.defaults())
              .hash(ModelWalker.with(WalkOptions.defaults()).walk(local));
      assertThat(v.check(s.model(model()), null).root()).isEqualTo(expected.root());
      List<String> seen = new java.util.ArrayList<>();
      try (var vm = v.checking(m -> seen.addAll(m.fileNames())).open(s.model(model()), null)) {
        assertThat(vm.fileNames()).doesNotContain("model.sig");
      }
      assertThat(seen).isNotEmpty().doesNotContain("model.sig");
    }
  }

  @Test
  void pull_lockEntry_namesModifiedFile() throws Exception {
    Manifest m =
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(local));
    ModelLock lock = ModelLock.of(List.of(new LockEntry("resnet", m)));
    Path lockFile = tmp.resolve("modelseal.lock");
    lock.write(lockFile);
    ModelPin p = ModelLock.read(lockFile).pin("s3://" + bucket + "/team/resnet");
    server.put(bucket, "team/resnet/tokenizer/vocab.txt", "evil".getBytes(StandardCharsets.UTF_8));
    try (S3ModelSource s = S3ModelSource.create(options())) {
      assertThatThrownBy(() -> s.pull(model(), p, tmp.resolve("out/resnet"), false))
          .isInstanceOf(ModelMismatchException.class)
          .hasMessageContaining("modified: tokenizer/vocab.txt");
    }
  }

  @Test
  void open_and_check_inPlace() throws Exception {
    try (S3ModelSource s = S3ModelSource.create(options())) {
      assertThat(s.check(model(), pin).root()).hasToString(pin.expected());
      try (VerifiedModel v = s.open(model(), pin, tmp)) {
        assertThat(v.readAllBytes("weights.bin")).isEqualTo(files.get("weights.bin"));
      }
    }
    try (Stream<Path> st = Files.list(tmp)) {
      assertThat(st.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".modelseal-staging-"));
    }
  }

  @Test
  void parse_rejectsBadLocations() {
    for (String bad :
        List.of(
            "s3:/b/x",
            "http://bucket/x",
            "s3://B/x",
            "s3://ab/x",
            "s3://bucket/../x",
            "s3://bucket/a//b",
            "s3://bucket/a\\b",
            "s3://-bucket/x",
            "s3://bucket//")) {
      assertThatThrownBy(() -> S3Uri.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    S3Uri u = S3Uri.parse("s3://my.bucket-1/a/b/");
    assertThat(u.bucket()).isEqualTo("my.bucket-1");
    assertThat(u.listingPrefix()).isEqualTo("a/b/");
    assertThat(u.modelName()).isEqualTo("b");
  }

  @Test
  void list_objectAndFolderOfTheSameName_refused() {
    // A filesystem blob store cannot hold both keys, so the check is exercised directly.
    List<Transfers.Entry> entries =
        List.of(
            new Transfers.Entry("p/a", "a", 1, null), new Transfers.Entry("p/a/b", "a/b", 1, null));
    assertThatThrownBy(
            () -> Transfers.requireNoFileDirectoryClash(S3Uri.parse("s3://bkt/p"), entries))
        .isInstanceOf(S3TransferException.class)
        .hasMessage("s3://bkt/p/a: is both an object and the folder of a/b");
  }

  @Test
  void pull_unsafeKey_refused() throws Exception {
    server.put(bucket, "team/resnet/a\\b", new byte[] {1});
    assertRefused(S3TransferException.class, "refused key: backslash");
  }

  @Test
  void pull_shardsSerialization_sameManifestAsLocalHasher() throws Exception {
    Serialization shards =
        Serialization.shards(
            dev.modelseal.digest.HashAlgorithm.SHA256, 1L << 20, WalkOptions.defaults());
    Manifest expected =
        ModelHasher.of(shards).hash(ModelWalker.with(WalkOptions.defaults()).walk(local));
    Path target = tmp.resolve("out/resnet");
    try (S3ModelSource s = S3ModelSource.create(options())) {
      PulledModel m = s.pull(model(), ModelPin.of(expected), target, false);
      assertThat(m.manifest().resources()).isEqualTo(expected.resources());
    }
    assertPublishedCopy(target);
  }

  @Test
  void pull_overSizeLimit_refusedBeforeDownloading() throws Exception {
    Path target = tmp.resolve("out/resnet");
    try (S3ModelSource s = S3ModelSource.create(options().limits(1L << 20, 100))) {
      assertThatThrownBy(() -> s.pull(model(), pin, target, false))
          .isInstanceOf(S3TransferException.class)
          .hasMessageContaining("larger than the limit of 1048576 bytes");
    }
    try (S3ModelSource s = S3ModelSource.create(options().limits(1L << 30, 3))) {
      assertThatThrownBy(() -> s.pull(model(), pin, target, false))
          .isInstanceOf(S3TransferException.class)
          .hasMessageContaining("more than 3 objects");
    }
    assertThat(target).doesNotExist();
  }

  @Test
  void server_honoursIfMatch_soAReplacedObjectCannotBeMixedIn() {
    assertThatThrownBy(
            () ->
                server.admin.getObjectAsBytes(
                    b -> b.bucket(bucket).key("team/resnet/config.json").ifMatch("\"bogus\"")))
        .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
        .extracting(e -> ((software.amazon.awssdk.services.s3.model.S3Exception) e).statusCode())
        .isEqualTo(412);
  }

  @Test
  void readObject_overLimit_refused() throws Exception {
    try (S3ModelSource s = S3ModelSource.create(options())) {
      assertThatThrownBy(
              () -> s.readObject(S3Uri.parse("s3://" + bucket + "/team/resnet/weights.bin"), 1000))
          .isInstanceOf(S3TransferException.class)
          .hasMessageContaining("weights.bin: larger than the limit of 1000 bytes");
      assertThatThrownBy(() -> s.readObject(S3Uri.parse("s3://" + bucket + "/nope.sig"), 1000))
          .isInstanceOf(S3TransferException.class)
          .hasMessageContaining("nope.sig: not found");
    }
  }
}
