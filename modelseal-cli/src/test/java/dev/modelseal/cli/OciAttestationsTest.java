package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.oci.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attestations attached to oci:// manifests ({@code attest oci://}, {@code scan oci:// --attest})
 * and found there ({@code verify --attestations|--require}, {@code pull --require}, a policy's
 * {@code require}), against a real CNCF distribution registry on 127.0.0.1 (no referrers API: the
 * {@code sha256-<hex>} tag fallback).
 */
class OciAttestationsTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  static TestRegistry reg;
  static int repos;
  Path key;
  Path pub;
  Path metrics;
  Map<String, byte[]> files;
  String repo;

  /** A protocol-2 pickle calling os.system (rated critical). */
  static final byte[] SYSTEM_PICKLE = {
    (byte) 0x80,
    2,
    'c',
    'o',
    's',
    '\n',
    's',
    'y',
    's',
    't',
    'e',
    'm',
    '\n',
    'X',
    2,
    0,
    0,
    0,
    'i',
    'd',
    (byte) 0x85,
    'R',
    '.'
  };

  @BeforeAll
  static void start() throws Exception {
    JsonSchemaTest.schemas();
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
    byte[] w = new byte[100_000];
    new Random(1000 + ++repos).nextBytes(w);
    files.put("weights.bin", w);
    files.put("config.json", "{}".getBytes(StandardCharsets.UTF_8));
    repo = "team/attested" + repos;
    metrics = tmp.resolve("metrics.json");
    Files.writeString(metrics, "{\"f1\": 0.93, \"accuracy\": 0.91}");
  }

  String uri(String tag) {
    return "oci://" + reg.host() + "/" + repo + ":" + tag;
  }

  static CliRun run(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("--plain-http");
    return CliRun.of(a.toArray(String[]::new));
  }

  CliRun signed(String tag) throws Exception {
    reg.push(repo, tag, files);
    CliRun s = run("sign", uri(tag), "--key", key.toString());
    assertThat(s.code()).as(s.err()).isZero();
    return s;
  }

  CliRun attest(String tag, Path withKey) {
    return run("attest", uri(tag), "--metrics", metrics.toString(), "--key", withKey.toString());
  }

  @Test
  void attestAttachesAndVerifyChecksEveryRequirement() throws Exception {
    signed("v1");
    CliRun a = attest("v1", key);
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out())
        .startsWith("Attested " + uri("v1") + " sha256:")
        .contains("f1 = 0.93")
        .contains("-> referrer sha256:")
        .contains("referrers tag sha256-");
    CliRun ok = run("verify", uri("v1"), "--public-key", pub.toString(), "--require", "f1>=0.9");
    assertThat(ok.code()).as(ok.err() + ok.out()).isZero();
    assertThat(ok.out())
        .contains("Verified signature of " + uri("v1"))
        .contains("verified attestation sha256:")
        .contains("https://modelseal.dev/attestation/model-metrics/v1")
        .contains("Verified " + uri("v1") + ": 1 attached attestations verified");
    CliRun high = run("verify", uri("v1"), "--public-key", pub.toString(), "--require", "f1>=0.95");
    assertThat(high.code()).as(high.err() + high.out()).isEqualTo(1);
    assertThat(high.out()).contains("requirement not met: f1>=0.95").contains("NOT VERIFIED");
    CliRun missing =
        run("verify", uri("v1"), "--public-key", pub.toString(), "--require", "recall>=0.5");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.out()).contains("no verified claim speaks about it");
    // --attestations without a requirement lists them and passes
    CliRun listed = run("verify", uri("v1"), "--public-key", pub.toString(), "--attestations");
    assertThat(listed.code()).as(listed.err()).isZero();
  }

  @Test
  void scanAttestationOfTheRegistryBytes_cleanPassesAPayloadDoesNot() throws Exception {
    files.put("weights.npy", Files.readAllBytes(JsonSchemaTest.npy(tmp.resolve("w.npy"), 1f, 2f)));
    files.remove("weights.bin"); // random bytes: an unknown format (medium)
    signed("clean");
    CliRun s = run("scan", uri("clean"), "--attest", "--key", key.toString());
    assertThat(s.code()).as(s.err() + s.out()).isZero();
    assertThat(s.err()).contains("Attested scan of " + uri("clean")).contains("worst none");
    CliRun ok =
        run("verify", uri("clean"), "--public-key", pub.toString(), "--require", "scan<=low");
    assertThat(ok.code()).as(ok.err() + ok.out()).isZero();

    files.put("model.pkl", SYSTEM_PICKLE);
    signed("payload");
    CliRun bad = run("scan", uri("payload"), "--attest", "--key", key.toString());
    assertThat(bad.code()).isEqualTo(1); // a critical finding, still attested
    assertThat(bad.out()).contains("model.pkl");
    assertThat(bad.err()).contains("worst critical");
    CliRun refused =
        run("verify", uri("payload"), "--public-key", pub.toString(), "--require", "scan<=low");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out()).contains("requirement not met: scan<=low");
    // a plain scan of the registry's bytes finds the same, keeps nothing
    CliRun plain = run("scan", uri("payload"));
    assertThat(plain.code()).isEqualTo(1);
    assertThat(plain.out()).contains("model.pkl").contains("critical");
  }

  @Test
  void anotherSignersAttestationIsListedNotCounted() throws Exception {
    signed("v1");
    TestKeys other = TestKeys.ecP256(Files.createDirectories(tmp.resolve("other")));
    assertThat(attest("v1", other.key()).code()).isZero();
    CliRun v = run("verify", uri("v1"), "--public-key", pub.toString(), "--attestations");
    assertThat(v.code()).as(v.out()).isZero();
    assertThat(v.out()).contains("ignored  attestation").contains("not counted");
    CliRun req = run("verify", uri("v1"), "--public-key", pub.toString(), "--require", "f1>=0.9");
    assertThat(req.code()).isEqualTo(1);
    assertThat(req.out()).contains("no verified claim speaks about it");
    assertThat(attest("v1", key).code()).isZero();
    CliRun both =
        run("verify", uri("v1"), "--public-key", pub.toString(), "--require", "f1>=0.9", "--json");
    assertThat(both.code()).as(both.out()).isZero();
    JsonNode j = JsonSchemaTest.valid("verify", both.out());
    assertThat(j.path("verified").asBoolean()).isTrue();
    assertThat(j.path("attestations")).hasSize(2);
    assertThat(j.path("attestations").get(0).path("verified").asBoolean()).isTrue();
    assertThat(j.path("attestations").get(1).path("ignored").asBoolean()).isTrue();
  }

  @Test
  void anAttestationOfAnotherModelAttachedHereIsRefused() throws Exception {
    // A good model is attested; a worse one, also signed with the key, gets the good one's
    // attestation attached by someone with write access to the registry.
    signed("good");
    Path goodAtt = tmp.resolve("good.att");
    CliRun a =
        run(
            "attest",
            uri("good"),
            "--metrics",
            metrics.toString(),
            "--key",
            key.toString(),
            "-o",
            goodAtt.toString());
    assertThat(a.code()).as(a.err()).isZero();
    files.put("weights.bin", "worse".getBytes(StandardCharsets.UTF_8));
    signed("worse");
    String worse = manifestDigest("worse");
    attachRaw(worse, Files.readAllBytes(goodAtt));
    CliRun v = run("verify", uri("worse"), "--public-key", pub.toString(), "--require", "f1>=0.9");
    assertThat(v.code()).as(v.out() + v.err()).isEqualTo(1);
    assertThat(v.out()).contains("MODEL_MISMATCH").contains("not the one this claim is about");
    Path out = tmp.resolve("pulled/worse");
    CliRun p =
        run(
            "pull",
            uri("worse"),
            "--to",
            out.toString(),
            "--public-key",
            pub.toString(),
            "--require",
            "f1>=0.9");
    assertThat(p.code()).as(p.out() + p.err()).isEqualTo(1);
    assertThat(p.err()).contains("attached attestations").contains("nothing published");
    assertThat(out).doesNotExist();
  }

  @Test
  void pullPublishesOnlyWhenTheAttachedAttestationsHold() throws Exception {
    signed("v1");
    assertThat(attest("v1", key).code()).isZero();
    Path out = tmp.resolve("pulled/model");
    CliRun p =
        run(
            "pull",
            uri("v1"),
            "--to",
            out.toString(),
            "--public-key",
            pub.toString(),
            "--require",
            "f1>=0.9");
    assertThat(p.code()).as(p.out() + p.err()).isZero();
    assertThat(p.out()).contains("verified attestation").contains("Pulled " + uri("v1"));
    assertThat(Files.readAllBytes(out.resolve("weights.bin"))).isEqualTo(files.get("weights.bin"));
    Path out2 = tmp.resolve("pulled/model2");
    CliRun q =
        run(
            "pull",
            uri("v1"),
            "--to",
            out2.toString(),
            "--public-key",
            pub.toString(),
            "--require",
            "f1>=0.99");
    assertThat(q.code()).as(q.out() + q.err()).isEqualTo(1);
    assertThat(out2).doesNotExist();
    try (var s = Files.list(out2.getParent())) {
      assertThat(s.map(x -> x.getFileName().toString()).toList()).containsExactly("model");
    }
  }

  @Test
  void aPolicyRequiringAttestationsOfAnOciRepository() throws Exception {
    signed("v1");
    assertThat(attest("v1", key).code()).isZero();
    Path policy = tmp.resolve("policy.json");
    Files.writeString(
        policy,
        "{\"version\": 1, \"mode\": \"enforce\", \"rules\": [{\"name\": \"team\","
            + " \"sources\": [\"oci://"
            + reg.host()
            + "/team/*\"], \"trust\": {\"publicKey\": \""
            + pub
            + "\"}, \"require\": [\"f1>=0.9\"]}, {\"name\": \"strict\", \"sources\": [\"oci://"
            + reg.host()
            + "/strict/*\"], \"trust\": {\"publicKey\": \""
            + pub
            + "\"}, \"require\": [\"f1>=0.99\"]}]}");
    CliRun v = run("verify", uri("v1"), "--policy", policy.toString());
    assertThat(v.code()).as(v.out() + v.err()).isZero();
    assertThat(v.out()).contains("rule 'team'").contains("verified attestation");
    Path out = tmp.resolve("policy/model");
    CliRun p = run("pull", uri("v1"), "--to", out.toString(), "--policy", policy.toString());
    assertThat(p.code()).as(p.out() + p.err()).isZero();
    assertThat(out.resolve("weights.bin")).exists();
    // the same model under the strict rule
    String strictRepo = repo.replace("team/", "strict/");
    reg.push(strictRepo, "v1", files);
    String strict = "oci://" + reg.host() + "/" + strictRepo + ":v1";
    assertThat(run("sign", strict, "--key", key.toString()).code()).isZero();
    assertThat(
            run("attest", strict, "--metrics", metrics.toString(), "--key", key.toString()).code())
        .isZero();
    CliRun s = run("verify", strict, "--policy", policy.toString());
    assertThat(s.code()).as(s.out() + s.err()).isEqualTo(1);
    assertThat(s.out()).contains("rule 'strict'").contains("requirement not met: f1>=0.99");
  }

  @Test
  void usageErrors() throws Exception {
    signed("v1");
    CliRun anchors =
        run("verify", uri("v1"), "--trust-anchor", pub.toString(), "--require", "f1>=0.9");
    assertThat(anchors.code()).isEqualTo(2);
    CliRun local = run("verify", tmp.toString(), "--public-key", pub.toString(), "--attestations");
    assertThat(local.code()).isEqualTo(2);
    assertThat(local.err()).contains("--attestations is for oci:// models");
    CliRun hashOpts =
        run(
            "attest",
            uri("v1"),
            "--metrics",
            metrics.toString(),
            "--key",
            key.toString(),
            "--ignore",
            "config.json");
    assertThat(hashOpts.code()).isEqualTo(2);
    CliRun noKey = run("scan", uri("v1"), "--attest");
    assertThat(noKey.code()).isEqualTo(2);
    CliRun two = run("scan", uri("v1"), tmp.toString());
    assertThat(two.code()).isEqualTo(2);
    CliRun pullNoKey =
        run("pull", uri("v1"), "--to", tmp.resolve("x").toString(), "--require", "f1>=0.9");
    assertThat(pullNoKey.code()).isEqualTo(2);
  }

  // --- raw registry writes, as an attacker with push access would make them ---

  private final HttpClient http = HttpClient.newHttpClient();

  private String manifestDigest(String tag) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + reg.host() + "/v2/" + repo + "/manifests/" + tag))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return sha256(r.body());
  }

  /** Attaches {@code envelope} to manifest {@code subject} through the referrers tag fallback. */
  private void attachRaw(String subject, byte[] envelope) throws Exception {
    String type = "application/vnd.dsse.envelope.v1+json";
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    pushBlob(config);
    pushBlob(envelope);
    ObjectMapper om = new ObjectMapper();
    ObjectNode m = om.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    m.put("artifactType", type);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", "application/vnd.oci.empty.v1+json");
    c.put("digest", sha256(config));
    c.put("size", config.length);
    ObjectNode l = m.putArray("layers").addObject();
    l.put("mediaType", type);
    l.put("digest", sha256(envelope));
    l.put("size", envelope.length);
    ObjectNode s = m.putObject("subject");
    s.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    s.put("digest", subject);
    s.put("size", manifestSize(subject));
    byte[] bytes = om.writeValueAsBytes(m);
    putManifest(sha256(bytes), bytes, "application/vnd.oci.image.manifest.v1+json");
    String tag = subject.replace(':', '-');
    ObjectNode idx = om.createObjectNode();
    idx.put("schemaVersion", 2);
    idx.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode ms = idx.putArray("manifests");
    HttpResponse<byte[]> old =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + reg.host() + "/v2/" + repo + "/manifests/" + tag))
                .header("Accept", "application/vnd.oci.image.index.v1+json")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (old.statusCode() == 200) {
      om.readTree(old.body()).path("manifests").forEach(ms::add);
    }
    ObjectNode e = ms.addObject();
    e.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    e.put("digest", sha256(bytes));
    e.put("size", bytes.length);
    e.put("artifactType", type);
    putManifest(tag, om.writeValueAsBytes(idx), "application/vnd.oci.image.index.v1+json");
  }

  private long manifestSize(String digest) throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + reg.host() + "/v2/" + repo + "/manifests/" + digest))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .body()
        .length;
  }

  private void pushBlob(byte[] b) throws Exception {
    HttpResponse<Void> start =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + reg.host() + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(start.statusCode()).isEqualTo(202);
    String loc = start.headers().firstValue("Location").orElseThrow();
    URI u = URI.create("http://" + reg.host()).resolve(loc);
    String sep = u.getQuery() == null ? "?" : "&";
    HttpResponse<Void> put =
        http.send(
            HttpRequest.newBuilder(URI.create(u + sep + "digest=" + sha256(b)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(b))
                .header("Content-Type", "application/octet-stream")
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(put.statusCode()).isEqualTo(201);
  }

  private void putManifest(String ref, byte[] body, String type) throws Exception {
    HttpResponse<Void> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + reg.host() + "/v2/" + repo + "/manifests/" + ref))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", type)
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(201);
  }

  private static String sha256(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
