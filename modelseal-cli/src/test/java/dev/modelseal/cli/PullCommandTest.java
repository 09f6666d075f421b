package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

class PullCommandTest {
  static S3Proxy proxy;
  static S3Client admin;
  static String endpoint;
  static int buckets;

  @TempDir Path tmp;
  Path model;
  Path pub;
  String bucket;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.disableEc2Metadata", "true");
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", Files.createTempDirectory("s3proxy").toString());
    p.setProperty("jclouds.identity", "");
    p.setProperty("jclouds.credential", "");
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", p))
            .awsAuthentication(AuthenticationType.NONE, "", "")
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    admin =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    proxy.stop();
  }

  @BeforeEach
  void setUp() throws Exception {
    model = TestKeys.smallModel(tmp);
    TestKeys keys = TestKeys.ecP256(tmp);
    Path key = keys.key();
    pub = keys.pub();
    assertThat(CliRun.of("sign", model.toString(), "--key", key.toString()).code()).isZero();
    bucket = "cli-" + (++buckets);
    admin.createBucket(r -> r.bucket(bucket));
    try (Stream<Path> s = Files.walk(model)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String k = "m/model/" + model.relativize(f).toString();
        admin.putObject(r -> r.bucket(bucket).key(k), RequestBody.fromFile(f));
      }
    }
  }

  String uri() {
    return "s3://" + bucket + "/m/model";
  }

  CliRun run(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--endpoint", endpoint, "--path-style", "--read-timeout", "5"));
    return CliRun.of(a.toArray(String[]::new));
  }

  @Test
  void pull_signatureInBucket_publishes() throws Exception {
    Path out = tmp.resolve("out/model");
    CliRun r =
        run(
            "pull",
            uri(),
            "--to",
            out.toString(),
            "--signature",
            uri() + "/model.sig",
            "--public-key",
            pub.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Pulled " + uri()).contains("2 files");
    assertThat(Files.readString(out.resolve("sub/weights.bin"))).isEqualTo("weights");
    assertThat(out.resolve("model.sig")).doesNotExist();
  }

  @Test
  void pull_localSignatureAndDigest_publish() throws Exception {
    CliRun r =
        run(
            "pull",
            uri(),
            "--to",
            tmp.resolve("a/model").toString(),
            "--signature",
            model.resolve("model.sig").toString(),
            "--public-key",
            pub.toString(),
            "--ignore",
            "model.sig");
    assertThat(r.code()).as(r.err()).isZero();
    CliRun h = CliRun.of("hash", model.toString(), "--ignore", "model.sig", "--pin");
    String digest = h.out().trim();
    CliRun d =
        run(
            "pull",
            uri(),
            "--to",
            tmp.resolve("b/model").toString(),
            "--digest",
            digest,
            "--ignore",
            "model.sig");
    assertThat(d.code()).as(d.err() + d.out()).isZero();
  }

  @Test
  void pull_renamedObjectsThatKeepTheOmsRoot_refusedByThePin() throws Exception {
    Path approved = Files.createDirectories(tmp.resolve("approved/model"));
    Files.writeString(approved.resolve("model.onnx"), "approved model");
    Files.writeString(approved.resolve("model_old.onnx"), "old model");
    String[] lines = CliRun.of("hash", approved.toString()).out().split("\n");
    String root = lines[0];
    String pin = lines[1];
    // In the bucket: model.onnx -> model-a.onnx, model_old.onnx -> model.onnx.
    admin.putObject(
        r -> r.bucket(bucket).key("swap/model/model-a.onnx"),
        RequestBody.fromString("approved model"));
    admin.putObject(
        r -> r.bucket(bucket).key("swap/model/model.onnx"), RequestBody.fromString("old model"));
    String swapped = "s3://" + bucket + "/swap/model";
    Path out = tmp.resolve("out/model");
    CliRun r = run("pull", swapped, "--to", out.toString(), "--digest", pin);
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("NOT VERIFIED", "expected " + pin);
    assertThat(out).doesNotExist();
    CliRun bare = run("pull", swapped, "--to", out.toString(), "--digest", root);
    assertThat(bare.code()).isEqualTo(2);
    assertThat(bare.err().strip())
        .doesNotContain("\n")
        .contains("does not bind file names", "--allow-oms-root");
    assertThat(out).doesNotExist();
    CliRun relaxed =
        run("pull", swapped, "--to", out.toString(), "--digest", root, "--allow-oms-root");
    assertThat(relaxed.code()).as(relaxed.err()).isZero();
    assertThat(Files.readString(out.resolve("model.onnx"))).isEqualTo("old model");
  }

  @Test
  void verify_inPlace_defaultSignature() {
    CliRun r = run("verify", uri(), "--public-key", pub.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Verified " + uri());
  }

  @Test
  void tampered_pullAndVerifyExitOneNamingObject() {
    admin.putObject(
        r -> r.bucket(bucket).key("m/model/sub/weights.bin"), RequestBody.fromString("evil"));
    Path out = tmp.resolve("out/model");
    CliRun r =
        run(
            "pull",
            uri(),
            "--to",
            out.toString(),
            "--signature",
            uri() + "/model.sig",
            "--public-key",
            pub.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("NOT VERIFIED").contains("modified " + uri() + "/sub/weights.bin");
    assertThat(out).doesNotExist();
    assertThat(tmp.resolve("out").toFile().list()).isEmpty();
    CliRun v = run("verify", uri(), "--public-key", pub.toString());
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.out()).contains("modified " + uri() + "/sub/weights.bin");
  }

  @Test
  void errors_exitTwoOneLine() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("exists"));
    CliRun e =
        run("pull", uri(), "--to", out.toString(), "--digest", "pin:v1:sha256:" + "0".repeat(64));
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.err().strip()).doesNotContain("\n").contains("already exists");
    CliRun bad =
        run(
            "pull",
            "s3://B/x",
            "--to",
            tmp.resolve("x").toString(),
            "--digest",
            "pin:v1:sha256:" + "0".repeat(64));
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().strip()).doesNotContain("\n").contains("invalid bucket");
    CliRun missing =
        run(
            "pull",
            "s3://" + bucket + "/nope",
            "--to",
            tmp.resolve("y").toString(),
            "--digest",
            "pin:v1:sha256:" + "0".repeat(64));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("s3://" + bucket + "/nope: no objects under this prefix");
  }

  /** A correctly signed model whose pickle would run a shell command on load; its public key. */
  Path uploadSignedEvilModel(String prefix) throws Exception {
    Path evil = Files.createDirectories(tmp.resolve(prefix + "/model"));
    Files.copy(
        Path.of("..", "modelseal-scan", "src", "test", "resources", "fixtures", "torch_system.pt"),
        evil.resolve("weights.pt"));
    TestKeys keys = TestKeys.ecP256(Files.createDirectories(tmp.resolve(prefix + "-keys")));
    assertThat(CliRun.of("sign", evil.toString(), "--key", keys.key().toString()).code()).isZero();
    for (String name : List.of("weights.pt", "model.sig")) {
      admin.putObject(
          r -> r.bucket(bucket).key(prefix + "/model/" + name),
          RequestBody.fromFile(evil.resolve(name)));
    }
    return keys.pub();
  }

  @Test
  void verify_inPlaceWithScan_scansTheVerifiedBytes() throws Exception {
    CliRun clean = run("verify", uri(), "--public-key", pub.toString(), "--scan");
    assertThat(clean.code()).as(clean.err()).isZero();
    assertThat(clean.out()).startsWith("Verified " + uri());
    Path evilPub = uploadSignedEvilModel("evil");
    String evilUri = "s3://" + bucket + "/evil/model";
    CliRun plain = run("verify", evilUri, "--public-key", evilPub.toString());
    assertThat(plain.code()).as(plain.err()).isZero();
    CliRun r = run("verify", evilUri, "--public-key", evilPub.toString(), "--scan");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("UNSAFE " + evilUri).contains("weights.pt").contains("system");
    CliRun j = run("verify", evilUri, "--public-key", evilPub.toString(), "--scan", "--json");
    assertThat(j.code()).isEqualTo(1);
    assertThat(j.out()).contains("\"failure\" : \"SCAN\"").contains("\"verified\" : false");
  }

  @Test
  void pull_withScan_refusesCodeBeforePublishing() throws Exception {
    Path evilPub = uploadSignedEvilModel("evil");
    String evilUri = "s3://" + bucket + "/evil/model";
    Path out = tmp.resolve("published/model");
    String[] args = {
      "pull",
      evilUri,
      "--to",
      out.toString(),
      "--signature",
      evilUri + "/model.sig",
      "--public-key",
      evilPub.toString(),
      "--scan"
    };
    CliRun r = run(args);
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("UNSAFE " + evilUri)
        .contains("nothing published")
        .contains("weights.pt");
    assertThat(out).doesNotExist();
    assertThat(tmp.resolve("published").toFile().list()).isEmpty();
    // A call to os.system is critical: refused at the highest level too.
    List<String> critical = new ArrayList<>(List.of(args));
    critical.set(critical.size() - 1, "--scan=critical");
    assertThat(run(critical.toArray(String[]::new)).code()).isEqualTo(1);
    assertThat(out).doesNotExist();
    // A clean model is published with the scan.
    CliRun clean =
        run(
            "pull",
            uri(),
            "--to",
            tmp.resolve("clean/model").toString(),
            "--signature",
            uri() + "/model.sig",
            "--public-key",
            pub.toString(),
            "--scan");
    assertThat(clean.code()).as(clean.err() + clean.out()).isZero();
    assertThat(Files.readString(tmp.resolve("clean/model/sub/weights.bin"))).isEqualTo("weights");
  }

  /** The reference's keyless v1.1.0 vector uploaded under {@code s3://bucket/keyless/model}. */
  String uploadKeylessVector() throws Exception {
    Path dir =
        SignVerifyCommandTest.shared()
            .resolve("vectors/oms/model-transparency-1.1.1/v1.1.0-sigstore");
    for (String f : List.of("signme-1", "signme-2", "ignore-me", "model.sig")) {
      admin.putObject(
          r -> r.bucket(bucket).key("keyless/model/" + f), RequestBody.fromFile(dir.resolve(f)));
    }
    return "s3://" + bucket + "/keyless/model";
  }

  static Path trustedRoot() {
    Path root = SignVerifyCommandTest.shared().resolve("vectors/sigstore/trusted_root.json");
    if (!Files.isRegularFile(root) && Boolean.getBoolean("modelseal.requireShared")) {
      org.junit.jupiter.api.Assertions.fail("no Sigstore trusted root at " + root);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(root), "no Sigstore trusted root at " + root);
    return root;
  }

  static List<String> keyless(String identity) {
    return List.of(
        "--trusted-root",
        trustedRoot().toString(),
        "--identity",
        identity,
        "--issuer",
        "https://sigstore.verify.ibm.com/oauth2");
  }

  @Test
  void verify_s3Keyless_verifiesAndRefusesOtherIdentityAndEditedObject() throws Exception {
    String uri = uploadKeylessVector();
    List<String> ok = new ArrayList<>(List.of("verify", uri));
    ok.addAll(keyless("stefanb@us.ibm.com"));
    CliRun r = run(ok.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).startsWith("Verified " + uri + " (2 files, sha256:");

    List<String> other = new ArrayList<>(List.of("verify", uri));
    other.addAll(keyless("mallory@example.com"));
    CliRun bad = run(other.toArray(String[]::new));
    assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(1);
    assertThat(bad.out() + bad.err()).contains("keyless verification failed");

    admin.putObject(
        req -> req.bucket(bucket).key("keyless/model/signme-2"), RequestBody.fromString("edited"));
    CliRun edited = run(ok.toArray(String[]::new));
    assertThat(edited.code()).as(edited.out() + edited.err()).isEqualTo(1);
    assertThat(edited.out()).contains("modified " + uri + "/signme-2");
  }

  @Test
  void pull_s3Keyless_publishes() throws Exception {
    String uri = uploadKeylessVector();
    Path out = tmp.resolve("keyless/model");
    List<String> args =
        new ArrayList<>(
            List.of("pull", uri, "--to", out.toString(), "--signature", uri + "/model.sig"));
    args.addAll(keyless("stefanb@us.ibm.com"));
    CliRun r = run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(out.resolve("signme-1")).exists();
    assertThat(out.resolve("ignore-me")).doesNotExist();
    assertThat(out.resolve("model.sig")).doesNotExist();
  }
}
