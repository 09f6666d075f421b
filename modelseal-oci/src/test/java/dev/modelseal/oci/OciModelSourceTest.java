package dev.modelseal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.TrustPolicy;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.source.ModelSource;
import dev.modelseal.testing.HttpClientThreads;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull, verify and sign against a real distribution registry on 127.0.0.1. */
class OciModelSourceTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  static TestRegistry reg;
  static Fixtures push;
  static OciOptions plain = OciOptions.defaults().plainHttp(true).attempts(2);

  @BeforeAll
  static void start() throws Exception {
    reg = TestRegistry.start(Files.createDirectories(shared.resolve("reg")), false);
    push = new Fixtures(reg, "team/model", null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (push != null) {
      push.client.close();
    }
    if (reg != null) {
      reg.close();
    }
  }

  static Manifest manifestOf(Path dir) throws ModelsealException {
    return ModelHasher.of(Serialization.defaults())
        .hash(ModelWalker.with(WalkOptions.defaults()).walk(dir));
  }

  static ModelPin pinOf(Path dir) throws ModelsealException {
    return ModelPin.of(manifestOf(dir).pin());
  }

  static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static OmsSigner signer(KeyPair kp) throws Exception {
    VerificationKey vk = VerificationKey.of(kp.getPublic());
    return OmsSigner.withKey(SigningKey.of(kp.getPrivate(), vk));
  }

  static OmsVerifier verifier(KeyPair kp) throws Exception {
    return OmsVerifier.create(TrustPolicy.publicKey(VerificationKey.of(kp.getPublic())));
  }

  private Path twin(Map<String, byte[]> files) throws Exception {
    return Fixtures.write(Files.createDirectories(tmp.resolve("twin")), files);
  }

  @Test
  void pullsVerifiesAndPublishesWithAPin() throws Exception {
    Map<String, byte[]> files = Fixtures.model(1, 300_000);
    String digest = push.pushManifest("v1", push.rawLayers(files));
    ModelPin pin = pinOf(twin(files));
    Path target = tmp.resolve("out/model");
    try (OciModelSource oci = OciModelSource.create(plain)) {
      ModelSource m = oci.model(reg.ref("team/model:v1"));
      assertThat(OciModelSource.manifestDigest(m)).isEqualTo(digest);
      PulledOciModel p = oci.pull(m, pin, target, false, null);
      assertThat(p.manifestDigest()).isEqualTo(digest);
      assertThat(p.bytes()).isEqualTo(300_000 + 14 + 6);
      assertThat(Files.readAllBytes(target.resolve("model.safetensors")))
          .isEqualTo(files.get("model.safetensors"));
      assertThat(Files.getPosixFilePermissions(target.resolve("config.json")))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.GROUP_READ,
              java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
      // by digest too, and verify in place keeps nothing
      ModelSource byDigest = oci.model(reg.ref("team/model@" + digest));
      assertThat(oci.check(byDigest, pin).root()).isEqualTo(p.rootDigest());
      try (VerifiedModel vm = oci.open(byDigest, pin)) {
        assertThat(vm.readAllBytes("tokenizer/vocab.txt"))
            .isEqualTo(files.get("tokenizer/vocab.txt"));
      }
    }
    assertThat(stagingLeft(tmp.resolve("out"))).isEmpty();
  }

  @Test
  void aLargeLayerOverSeveralConnectionsIsHashedInOrderAndChecked() throws Exception {
    Map<String, byte[]> files = Fixtures.model(21, 24 << 20);
    push.pushManifest("large", push.rawLayers(files));
    OciOptions ranged = plain.connectionsPerBlob(4, 1L << 20);
    Path target = tmp.resolve("large/model");
    try (OciModelSource oci = OciModelSource.create(ranged)) {
      ModelSource m = oci.model(reg.ref("team/model:large"));
      PulledOciModel p = oci.pull(m, pinOf(twin(files)), target, false, null);
      assertThat(p.bytes()).isGreaterThan(24 << 20);
      assertThat(Files.readAllBytes(target.resolve("model.safetensors")))
          .isEqualTo(files.get("model.safetensors"));
      // one byte of a middle range differs from what the pin expects: refused, nothing published
      Map<String, byte[]> other = new java.util.LinkedHashMap<>(files);
      byte[] w = files.get("model.safetensors").clone();
      w[(13 << 20) + 5] ^= 1;
      other.put("model.safetensors", w);
      Path otherTwin = Fixtures.write(Files.createDirectories(tmp.resolve("other")), other);
      Path refused = tmp.resolve("large2/model");
      assertThatThrownBy(() -> oci.pull(m, pinOf(otherTwin), refused, false, null))
          .isInstanceOf(ModelMismatchException.class);
      assertThat(refused).doesNotExist();
      assertThat(stagingLeft(tmp.resolve("large2"))).isEmpty();
    }
  }

  @Test
  void signsFromLayerDigestsWithoutPullingAndVerifiesThroughTheReferrer() throws Exception {
    Map<String, byte[]> files = Fixtures.model(2, 100_000);
    String digest = push.pushManifest("signed", push.rawLayers(files));
    KeyPair kp = keys();
    try (OciModelSource oci = OciModelSource.create(plain)) {
      OciModelSource.Signed s =
          oci.sign(reg.ref("team/model:signed"), signer(kp), WalkOptions.defaults());
      assertThat(s.pulled()).isZero(); // raw layers: signed from their digests
      assertThat(s.files()).isEqualTo(3);
      assertThat(s.manifestDigest()).isEqualTo(digest);
      assertThat(s.fallbackTag()).isTrue(); // distribution 2.8 has no referrers API
      ModelSource m = oci.model(reg.ref("team/model:signed"));
      OmsVerifier v = verifier(kp);
      Manifest checked = v.check(m, oci.signatureOf(v, m));
      assertThat(checked.root()).isEqualTo(pinOf(twin(files)).check(tmp.resolve("twin")).root());
      Path target = tmp.resolve("pulled/model");
      PulledOciModel p = oci.pull(m, oci.pin(v, m), target, false, null);
      assertThat(Files.readAllBytes(target.resolve("config.json")))
          .isEqualTo(files.get("config.json"));
      assertThat(p.manifest().resources()).hasSize(3);
      // another key: refused as a bad signature
      assertThatThrownBy(() -> oci.pin(verifier(keys()), m))
          .isInstanceOf(dev.modelseal.oms.SignatureVerificationException.class);
    }
  }

  @Test
  void aRetaggedManifestHasNoSignature() throws Exception {
    Map<String, byte[]> good = Fixtures.model(3, 50_000);
    push.pushManifest("release", push.rawLayers(good));
    KeyPair kp = keys();
    try (OciModelSource oci = OciModelSource.create(plain)) {
      oci.sign(reg.ref("team/model:release"), signer(kp), WalkOptions.defaults());
      // the tag moves to another model
      Map<String, byte[]> evil = Fixtures.model(4, 50_000);
      String evilDigest = push.pushManifest("release", push.rawLayers(evil));
      ModelSource m = oci.model(reg.ref("team/model:release"));
      assertThat(OciModelSource.manifestDigest(m)).isEqualTo(evilDigest);
      assertThatThrownBy(() -> oci.pin(verifier(kp), m))
          .isInstanceOf(OciIntegrityException.class)
          .hasMessageContaining("no signature is attached");
    }
  }

  @Test
  void aBundleCopiedOntoAnotherManifestDoesNotMatchIt() throws Exception {
    Map<String, byte[]> good = Fixtures.model(5, 40_000);
    String goodDigest = push.pushManifest("copied-good", push.rawLayers(good));
    KeyPair kp = keys();
    try (OciModelSource oci = OciModelSource.create(plain)) {
      oci.sign(reg.ref("team/model:copied-good"), signer(kp), WalkOptions.defaults());
      ModelSource gm = oci.model(reg.ref("team/model:copied-good"));
      OmsVerifier v = verifier(kp);
      byte[] bundle = gm.readSignature(oci.signatureOf(v, gm), 1 << 24).bytes();
      // attacker: another model, with the good bundle attached to it
      Map<String, byte[]> evil = new java.util.LinkedHashMap<>(good);
      evil.put("model.safetensors", "evil".getBytes(StandardCharsets.UTF_8));
      String evilDigest = push.pushManifest("copied-evil", push.rawLayers(evil));
      byte[] evilManifest = push.repo.manifest(evilDigest, MediaTypes.OCI_MANIFEST).bytes();
      new Referrers(push.repo)
          .attach(Descriptor.of(MediaTypes.OCI_MANIFEST, evilDigest, evilManifest.length), bundle);
      ModelSource em = oci.model(reg.ref("team/model:copied-evil"));
      ModelPin pin = oci.pin(v, em); // the bundle itself is genuine
      assertThatThrownBy(() -> oci.pull(em, pin, tmp.resolve("x/model"), false, null))
          .isInstanceOf(ModelMismatchException.class)
          .hasMessageContaining("model.safetensors");
      assertThat(tmp.resolve("x/model")).doesNotExist();
      assertThat(goodDigest).isNotEqualTo(evilDigest);
    }
  }

  @Test
  void layerAddedOrRemovedUnderTheSameTagIsNamed() throws Exception {
    Map<String, byte[]> files = Fixtures.model(6, 10_000);
    List<Descriptor> layers = push.rawLayers(files);
    push.pushManifest("moving", layers);
    ModelPin pin = ModelPin.of(manifestOf(twin(files))); // a lock entry: files are named
    List<Descriptor> added = new ArrayList<>(layers);
    added.add(push.rawLayer("extra.py", "import os".getBytes(StandardCharsets.UTF_8)));
    push.pushManifest("moving", added);
    try (OciModelSource oci = OciModelSource.create(plain)) {
      ModelSource m = oci.model(reg.ref("team/model:moving"));
      assertThatThrownBy(() -> oci.pull(m, pin, tmp.resolve("a/model"), false, null))
          .isInstanceOf(ModelMismatchException.class)
          .satisfies(
              e ->
                  assertThat(((ModelMismatchException) e).comparison().orElseThrow().extra())
                      .containsExactly("extra.py"));
      push.pushManifest("moving", layers.subList(0, 2));
      ModelSource m2 = oci.model(reg.ref("team/model:moving"));
      assertThatThrownBy(() -> oci.check(m2, pin))
          .isInstanceOf(ModelMismatchException.class)
          .satisfies(
              e ->
                  assertThat(((ModelMismatchException) e).comparison().orElseThrow().missing())
                      .containsExactly("tokenizer/vocab.txt"));
    }
    assertThat(tmp.resolve("a/model")).doesNotExist();
    assertThat(stagingLeft(tmp.resolve("a"))).isEmpty();
  }

  @Test
  void aBlobReplacedInStorageFailsItsDigest() throws Exception {
    Map<String, byte[]> files = Fixtures.model(7, 64_000);
    List<Descriptor> layers = push.rawLayers(files);
    push.pushManifest("tampered", layers);
    Descriptor w = layers.get(0);
    byte[] other = files.get("model.safetensors").clone();
    other[100] ^= 1;
    Files.write(reg.blobFile(w.digest()), other); // same size, other bytes
    try (OciModelSource oci = OciModelSource.create(plain)) {
      ModelSource m = oci.model(reg.ref("team/model:tampered"));
      // even with a pin that the tampered bytes would match, the blob digest refuses them
      Map<String, byte[]> tamperedFiles = new java.util.LinkedHashMap<>(files);
      tamperedFiles.put("model.safetensors", other);
      ModelPin tamperedPin = pinOf(twin(tamperedFiles));
      assertThatThrownBy(() -> oci.pull(m, tamperedPin, tmp.resolve("t/model"), false, null))
          .isInstanceOf(OciIntegrityException.class)
          .hasMessageContaining(w.digest())
          .hasMessageContaining("not to its digest");
    }
    assertThat(tmp.resolve("t/model")).doesNotExist();
    assertThat(stagingLeft(tmp.resolve("t"))).isEmpty();
  }

  @Test
  void aLayerWhoseDeclaredSizeLiesIsRefused() throws Exception {
    Map<String, byte[]> files = Fixtures.model(8, 20_000);
    List<Descriptor> layers = new ArrayList<>(push.rawLayers(files));
    Descriptor w = layers.get(0);
    layers.set(0, new Descriptor(w.mediaType(), w.digest(), w.size() - 1, null, w.annotations()));
    push.pushManifest("lying", layers);
    try (OciModelSource oci = OciModelSource.create(plain)) {
      ModelSource m = oci.model(reg.ref("team/model:lying"));
      assertThatThrownBy(() -> oci.check(m, pinOf(twin(files))))
          .isInstanceOf(ModelsealException.class)
          .hasMessageContaining(w.digest());
    }
  }

  @Test
  void tarLayersAreUnpackedAndHostileEntriesRefused() throws Exception {
    byte[] a = "tensor-a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "tensor-b".getBytes(StandardCharsets.UTF_8);
    Descriptor good =
        push.tarLayer(
            "weights",
            tar -> {
              Fixtures.tarFile(tar, "weights/a.bin", a);
              Fixtures.tarFile(tar, "./weights/b.bin", b);
            });
    Descriptor cfg = push.rawLayer("config.json", "{}".getBytes(StandardCharsets.UTF_8));
    push.pushManifest("tar", List.of(good, cfg));
    Path twin =
        Fixtures.write(
            Files.createDirectories(tmp.resolve("tartwin")),
            Map.of(
                "weights/a.bin",
                a,
                "weights/b.bin",
                b,
                "config.json",
                "{}".getBytes(StandardCharsets.UTF_8)));
    try (OciModelSource oci = OciModelSource.create(plain)) {
      PulledOciModel p =
          oci.pull(
              oci.model(reg.ref("team/model:tar")),
              pinOf(twin),
              tmp.resolve("tar/model"),
              false,
              null);
      assertThat(Files.readAllBytes(p.directory().resolve("weights/b.bin"))).isEqualTo(b);
      // signing streams the tar layer and hashes its entries
      KeyPair kp = keys();
      OciModelSource.Signed s =
          oci.sign(reg.ref("team/model:tar"), signer(kp), WalkOptions.defaults());
      assertThat(s.pulled()).isEqualTo(good.size());
      assertThat(s.files()).isEqualTo(3);
      ModelSource m = oci.model(reg.ref("team/model:tar"));
      assertThat(verifier(kp).check(m, oci.signatureOf(verifier(kp), m)).root())
          .isEqualTo(p.rootDigest());

      Descriptor dotdot = push.tarLayer("evil", tar -> Fixtures.tarFile(tar, "../escape.txt", a));
      push.pushManifest("tar-dotdot", List.of(dotdot));
      assertThatThrownBy(
              () ->
                  oci.pull(
                      oci.model(reg.ref("team/model:tar-dotdot")),
                      pinOf(twin),
                      tmp.resolve("e/model"),
                      false,
                      null))
          .isInstanceOf(OciIntegrityException.class)
          .hasMessageContaining("../escape.txt");
      Descriptor link =
          push.tarLayer(
              "evil",
              tar -> {
                TarArchiveEntry e =
                    new TarArchiveEntry("weights/passwd", TarArchiveEntry.LF_SYMLINK);
                e.setLinkName("/etc/passwd");
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
              });
      push.pushManifest("tar-link", List.of(link));
      assertThatThrownBy(() -> oci.check(oci.model(reg.ref("team/model:tar-link")), pinOf(twin)))
          .isInstanceOf(OciIntegrityException.class)
          .hasMessageContaining("is a link (to /etc/passwd)");
      Descriptor abs =
          push.tarLayer(
              "evil",
              tar -> {
                TarArchiveEntry e = new TarArchiveEntry("/tmp/abs", true);
                e.setSize(a.length);
                tar.putArchiveEntry(e);
                tar.write(a);
                tar.closeArchiveEntry();
              });
      push.pushManifest("tar-abs", List.of(abs));
      assertThatThrownBy(() -> oci.check(oci.model(reg.ref("team/model:tar-abs")), pinOf(twin)))
          .isInstanceOf(OciIntegrityException.class)
          .hasMessageContaining("'/tmp/abs'");
    }
    assertThat(tmp.resolve("e/model")).doesNotExist();
    assertThat(stagingLeft(tmp.resolve("e"))).isEmpty();
  }

  @Test
  void plainHttpIsRefusedWithoutTheFlag() throws Exception {
    push.pushManifest("https", push.rawLayers(Fixtures.model(9, 100)));
    try (OciModelSource oci = OciModelSource.create(OciOptions.defaults().attempts(1))) {
      assertThatThrownBy(() -> oci.model(reg.ref("team/model:https")))
          .isInstanceOf(OciTransferException.class)
          .hasMessageContaining("--plain-http");
    }
  }

  @Test
  void aManifestOverTheLimitIsRefused() throws Exception {
    // The real registry refuses to store or serve a manifest over its own 4 MiB limit, so a hostile
    // registry is played by a JDK HTTP server: 5 MiB, once with Content-Length, once chunked.
    byte[] huge = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v2/",
        ex -> {
          ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
          boolean chunked = ex.getRequestURI().getPath().endsWith("chunked");
          ex.sendResponseHeaders(200, chunked ? 0 : huge.length);
          try (var out = ex.getResponseBody()) {
            out.write(huge);
          } catch (java.io.IOException e) {
            // the client stopped reading: expected
          }
        });
    server.start();
    try (OciModelSource oci = OciModelSource.create(plain)) {
      String host = "127.0.0.1:" + server.getAddress().getPort();
      for (String tag : List.of("sized", "chunked")) {
        assertThatThrownBy(
                () -> oci.model(OciReference.parse("oci://" + host + "/team/model:" + tag)))
            .isInstanceOf(OciTransferException.class)
            .hasMessageContaining("larger than the limit of 4194304 bytes");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theRegistryStoppedMidBlobLeavesNothing() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("reg2"));
    try (TestRegistry r2 = TestRegistry.start(dir, false)) {
      Fixtures f = new Fixtures(r2, "team/big", null);
      Map<String, byte[]> files = Fixtures.model(10, 8 * 1024 * 1024);
      f.pushManifest("v1", f.rawLayers(files));
      f.client.close();
      ModelPin pin = pinOf(twin(files));
      try (CutProxy proxy =
              new CutProxy(
                  r2.port,
                  2 * 1024 * 1024,
                  () -> {
                    try {
                      r2.stop();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
          OciModelSource oci =
              OciModelSource.create(
                  OciOptions.defaults()
                      .plainHttp(true)
                      .attempts(3)
                      .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)))) {
        ModelSource m =
            oci.model(OciReference.parse("oci://127.0.0.1:" + proxy.port() + "/team/big:v1"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> oci.pull(m, pin, tmp.resolve("cut/model"), false, null))
            .isInstanceOf(OciTransferException.class)
            .hasMessageContaining("gave up after 3 attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
      }
    }
    assertThat(tmp.resolve("cut/model")).doesNotExist();
    assertThat(stagingLeft(tmp.resolve("cut"))).isEmpty();
  }

  @Test
  void aStalledBlobIsResumedWithARangeRequest() throws Exception {
    Map<String, byte[]> files = Fixtures.model(13, 4 * 1024 * 1024);
    push.pushManifest("stall", push.rawLayers(files));
    ModelPin pin = pinOf(twin(files));
    try (CutProxy proxy = new CutProxy(reg.port, 1024 * 1024, () -> {}, true);
        OciModelSource oci =
            OciModelSource.create(
                OciOptions.defaults()
                    .plainHttp(true)
                    .attempts(3)
                    .parallelism(1)
                    .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)))) {
      ModelSource m =
          oci.model(OciReference.parse("oci://127.0.0.1:" + proxy.port() + "/team/model:stall"));
      long t0 = System.nanoTime();
      PulledOciModel p = oci.pull(m, pin, tmp.resolve("stall/model"), false, null);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms)
          .isGreaterThanOrEqualTo(900)
          .isLessThan(20_000); // one read timeout, then resumed
      assertThat(p.bytes()).isEqualTo(4 * 1024 * 1024 + 14 + 6);
      assertThat(Files.readAllBytes(p.directory().resolve("model.safetensors")))
          .isEqualTo(files.get("model.safetensors"));
    }
  }

  @Test
  void basicAuthFromADockerConfig() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("reg3"));
    try (TestRegistry r3 = TestRegistry.start(dir, true)) {
      Fixtures f =
          new Fixtures(
              r3,
              "team/private",
              new Credentials(TestRegistry.USER, TestRegistry.PASSWORD.toCharArray()));
      Map<String, byte[]> files = Fixtures.model(11, 1000);
      f.pushManifest("v1", f.rawLayers(files));
      f.client.close();
      Path auth = r3.authFile(tmp.resolve("config.json"));
      try (OciModelSource oci = OciModelSource.create(plain.authFile(auth))) {
        ModelSource m = oci.model(r3.ref("team/private:v1"));
        assertThat(oci.check(m, pinOf(twin(files))).resources()).hasSize(3);
      }
      Path empty = Files.writeString(tmp.resolve("empty.json"), "{\"auths\":{}}");
      try (OciModelSource oci = OciModelSource.create(plain.authFile(empty))) {
        assertThatThrownBy(() -> oci.model(r3.ref("team/private:v1")))
            .isInstanceOf(OciTransferException.class)
            .hasMessageContaining("no credentials found for " + r3.host());
      }
      Path wrong =
          Files.writeString(
              tmp.resolve("wrong.json"),
              "{\"auths\":{\""
                  + r3.host()
                  + "\":{\"auth\":\""
                  + java.util.Base64.getEncoder()
                      .encodeToString("alice:nope".getBytes(StandardCharsets.UTF_8))
                  + "\"}}}");
      try (OciModelSource oci = OciModelSource.create(plain.authFile(wrong))) {
        assertThatThrownBy(() -> oci.model(r3.ref("team/private:v1")))
            .isInstanceOf(OciTransferException.class)
            .hasMessageContaining("refused the credentials");
      }
    }
  }

  @Test
  void bearerTokensFromTheRegistrysTokenEndpoint() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("reg4"));
    try (TokenServer tokens = new TokenServer(dir);
        TestRegistry r4 = TestRegistry.startWithTokens(dir, tokens)) {
      Credentials creds = new Credentials(TestRegistry.USER, TestRegistry.PASSWORD.toCharArray());
      Fixtures f = new Fixtures(r4, "team/tokened", creds);
      Map<String, byte[]> files = Fixtures.model(12, 1000);
      f.pushManifest("v1", f.rawLayers(files));
      f.client.close();
      assertThat(tokens.requests)
          .anyMatch(
              q ->
                  (q.contains("pull%2Cpush") || q.contains("push%2Cpull"))
                      && q.endsWith("auth=true"));
      Path auth = r4.authFile(tmp.resolve("config4.json"));
      KeyPair kp = keys();
      java.util.Set<String> before = HttpClientThreads.selectorThreads();
      try (OciModelSource oci = OciModelSource.create(plain.authFile(auth))) {
        ModelSource m = oci.model(r4.ref("team/tokened:v1"));
        assertThat(oci.check(m, pinOf(twin(files))).resources()).hasSize(3);
        // reading (token included) starts no HttpClient: its selector thread waits in native
        // code, which costs a JVM 300 ms at exit
        assertThat(HttpClientThreads.selectorThreads()).isSubsetOf(before);
        oci.sign(r4.ref("team/tokened:v1"), signer(kp), WalkOptions.defaults());
        assertThat(verifier(kp).check(m, oci.signatureOf(verifier(kp), m)).resources()).hasSize(3);
      }
      assertThat(tokens.requests)
          .anyMatch(
              q ->
                  q.contains("scope=repository%3Ateam%2Ftokened%3Apull&")
                      || q.contains("scope=repository%3Ateam%2Ftokened%3Apull "));
      Path empty = Files.writeString(tmp.resolve("empty4.json"), "{}");
      try (OciModelSource oci = OciModelSource.create(plain.authFile(empty))) {
        assertThatThrownBy(() -> oci.model(r4.ref("team/tokened:v1")))
            .isInstanceOf(OciTransferException.class)
            .hasMessageContaining("token endpoint answered HTTP 401");
      }
      tokens.padding = 1 << 20; // a token response over the 1 MiB limit
      try (OciModelSource oci = OciModelSource.create(plain.authFile(auth))) {
        assertThatThrownBy(() -> oci.model(r4.ref("team/tokened:v1")))
            .isInstanceOf(OciTransferException.class)
            .hasMessageContaining("token response: larger than the limit of 1048576 bytes");
      }
    }
  }

  private static List<Path> stagingLeft(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".modelseal-staging")).toList();
    }
  }
}
