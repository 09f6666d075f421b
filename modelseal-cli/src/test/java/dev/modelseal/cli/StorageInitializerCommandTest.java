package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.oci.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
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

/**
 * {@code storage-initializer SRC DEST} against a real registry and a real S3 server on 127.0.0.1,
 * with the trust configuration from environment variables as KServe passes it.
 */
class StorageInitializerCommandTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  static TestRegistry reg;
  static S3Proxy proxy;
  static S3Client admin;
  static int repos;
  Map<String, byte[]> files;
  String repo;
  TestKeys keys;

  @BeforeAll
  static void start() throws Exception {
    reg = TestRegistry.start(Files.createDirectories(shared.resolve("reg")), false);
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.disableEc2Metadata", "true");
    Properties p = new Properties();
    p.setProperty(
        "jclouds.filesystem.basedir", Files.createDirectories(shared.resolve("s3")).toString());
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
    admin =
        S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (reg != null) {
      reg.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    keys = TestKeys.ecP256(tmp);
    files = new LinkedHashMap<>();
    byte[] w = new byte[100_000];
    new Random(++repos).nextBytes(w);
    files.put("weights.bin", w);
    files.put("config.json", "{}".getBytes(StandardCharsets.UTF_8));
    repo = "kserve/model" + repos;
  }

  String uri() {
    return "oci://" + reg.host() + "/" + repo + ":v1";
  }

  /** Pushes the model and signs it in the registry (the bundle attached as a referrer). */
  void pushSigned() throws Exception {
    reg.push(repo, "v1", files);
    CliRun s = CliRun.of("sign", uri(), "--key", keys.key().toString(), "--plain-http");
    assertThat(s.code()).as(s.err()).isZero();
  }

  static CliRun run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> a = new ArrayList<>(List.of("storage-initializer"));
    a.addAll(List.of(args));
    int code =
        Main.run(a.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err), env);
    return new CliRun(code, out.toString(), err.toString());
  }

  Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("MODELSEAL_PLAIN_HTTP", "true");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void fillsAnEmptyMountWithTheKeyFromTheEnvironment() throws Exception {
    pushSigned();
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env("MODELSEAL_PUBLIC_KEY", keys.pub().toString()), uri(), mnt.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("Pulled " + uri()).endsWith("Model in " + mnt + "\n");
    assertThat(names(mnt)).containsExactly("config.json", "weights.bin");
    assertThat(Files.readAllBytes(mnt.resolve("weights.bin"))).isEqualTo(files.get("weights.bin"));
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(mnt.resolve("weights.bin"))))
        .isEqualTo("r--r--r--");
  }

  @Test
  void anotherSignerLeavesTheMountEmpty() throws Exception {
    pushSigned();
    TestKeys other = TestKeys.ecP256(Files.createDirectories(tmp.resolve("other")));
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env("MODELSEAL_PUBLIC_KEY", other.pub().toString()), uri(), mnt.toString());
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1);
    assertThat(names(mnt)).isEmpty();
  }

  @Test
  void aPinFromTheEnvironmentThatDoesNotMatchIsRefused() throws Exception {
    reg.push(repo, "v1", files);
    Path twin = Files.createDirectories(tmp.resolve("twin"));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Files.write(twin.resolve(e.getKey()), e.getValue());
    }
    Files.writeString(twin.resolve("extra.txt"), "x");
    CliRun h = CliRun.of("hash", twin.toString(), "--pin");
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env("MODELSEAL_DIGEST", h.out().trim()), uri(), mnt.toString());
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(1);
    assertThat(r.out()).contains("NOT VERIFIED").contains("does not match its pin");
    assertThat(names(mnt)).isEmpty();
    // the right pin, from the command line, wins over the variable
    Files.delete(twin.resolve("extra.txt"));
    String pin = CliRun.of("hash", twin.toString(), "--pin").out().trim();
    CliRun ok =
        run(env("MODELSEAL_DIGEST", h.out().trim()), uri(), mnt.toString(), "--digest", pin);
    assertThat(ok.code()).as(ok.err() + ok.out()).isZero();
    assertThat(names(mnt)).containsExactly("config.json", "weights.bin");
  }

  @Test
  void aDestinationThatDoesNotExistIsPublishedByPull() throws Exception {
    pushSigned();
    Path dest = tmp.resolve("fresh/model");
    Files.createDirectories(dest.getParent());
    CliRun r = run(env("MODELSEAL_PUBLIC_KEY", keys.pub().toString()), uri(), dest.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(names(dest)).containsExactly("config.json", "weights.bin");
  }

  @Test
  void aDestinationWithOtherFilesIsRefusedAndKept() throws Exception {
    pushSigned();
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    Files.writeString(mnt.resolve("old.bin"), "old");
    CliRun r = run(env("MODELSEAL_PUBLIC_KEY", keys.pub().toString()), uri(), mnt.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(mnt.toString()).contains("is not empty").contains("old.bin");
    assertThat(names(mnt)).containsExactly("old.bin");
  }

  @Test
  void aRunThatDiedHalfWayIsClearedByTheNext() throws Exception {
    pushSigned();
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    Files.createFile(mnt.resolve(MountedDestination.MARKER));
    Files.writeString(mnt.resolve("weights.bin"), "half");
    Files.createDirectories(mnt.resolve(MountedDestination.INCOMING).resolve("sub"));
    CliRun r = run(env("MODELSEAL_PUBLIC_KEY", keys.pub().toString()), uri(), mnt.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(names(mnt)).containsExactly("config.json", "weights.bin");
    assertThat(Files.readAllBytes(mnt.resolve("weights.bin"))).isEqualTo(files.get("weights.bin"));
  }

  @Test
  void noTrustConfigurationAtAllIsAUsageError() throws Exception {
    reg.push(repo, "v1", files);
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env(), uri(), mnt.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("oci:// needs --digest");
    assertThat(names(mnt)).isEmpty();
  }

  @Test
  void aPolicyFileIsNeverIgnored() throws Exception {
    pushSigned();
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    Path policy = tmp.resolve("absent-policy.json");
    CliRun r =
        run(
            env("MODELSEAL_POLICY_FILE", policy.toString(), "MODELSEAL_PUBLIC_KEY", "/nowhere"),
            uri(),
            mnt.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--policy"); // with a key too: refused, never ignored
    assertThat(names(mnt)).isEmpty();
  }

  @Test
  void aPolicyFromTheEnvironmentDecides() throws Exception {
    pushSigned();
    Path policy =
        Files.writeString(
            tmp.resolve("policy.json"),
            "{\"version\": 1, \"mode\": \"enforce\", \"rules\": [{\"name\": \"kserve\","
                + " \"sources\": [\"oci://"
                + reg.host()
                + "/kserve/*\"], \"trust\": {\"publicKey\": \""
                + keys.pub()
                + "\"}}]}");
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env("MODELSEAL_POLICY_FILE", policy.toString()), uri(), mnt.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("rule 'kserve' (enforce)").contains("Pulled " + uri());
    assertThat(names(mnt)).containsExactly("config.json", "weights.bin");
    // a policy whose rule trusts another key: the mount stays empty
    TestKeys other = TestKeys.ecP256(Files.createDirectories(tmp.resolve("other")));
    Files.writeString(
        policy, Files.readString(policy).replace(keys.pub().toString(), other.pub().toString()));
    Path mnt2 = Files.createDirectories(tmp.resolve("mnt2/models"));
    CliRun bad = run(env("MODELSEAL_POLICY_FILE", policy.toString()), uri(), mnt2.toString());
    assertThat(bad.code()).as(bad.err() + bad.out()).isEqualTo(1);
    assertThat(names(mnt2)).isEmpty();
  }

  @Test
  void pullOptionsGoAfterSrcAndDest() throws Exception {
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env(), "--public-key", "k.pub", uri(), mnt.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("SRC and DEST come first");
    assertThat(names(mnt)).isEmpty();
  }

  @Test
  void aSymbolicLinkAsDestinationIsRefused() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    CliRun r = run(env("MODELSEAL_DIGEST", "pin:v1:sha256:" + "0".repeat(64)), uri(), link + "/");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is a symbolic link");
  }

  @Test
  void otherSchemesAreRefused() throws Exception {
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env(), "gs://bucket/model", mnt.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("SRC must be an s3:// or oci:// URI");
  }

  @Test
  void s3WithKServesEndpointVariables() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    assertThat(CliRun.of("sign", model.toString(), "--key", keys.key().toString()).code()).isZero();
    String bucket = "si-" + repos;
    admin.createBucket(r -> r.bucket(bucket));
    try (Stream<Path> s = Files.walk(model)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String k = "m/" + model.relativize(f).toString().replace('\\', '/');
        admin.putObject(r -> r.bucket(bucket).key(k), RequestBody.fromFile(f));
      }
    }
    Map<String, String> env =
        env(
            "S3_ENDPOINT",
            "127.0.0.1:" + proxy.getPort(),
            "S3_USE_HTTPS",
            "0",
            "MODELSEAL_SIGNATURE",
            "s3://" + bucket + "/m/model.sig",
            "MODELSEAL_PUBLIC_KEY",
            keys.pub().toString());
    Path mnt = Files.createDirectories(tmp.resolve("mnt/models"));
    CliRun r = run(env, "s3://" + bucket + "/m", mnt.toString(), "--region", "us-east-1");
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(Files.readString(mnt.resolve("sub/weights.bin"))).isEqualTo("weights");
    // the object changed in the bucket: refused, the mount stays empty
    admin.putObject(r2 -> r2.bucket(bucket).key("m/sub/weights.bin"), RequestBody.fromString("x"));
    Path mnt2 = Files.createDirectories(tmp.resolve("mnt2/models"));
    CliRun bad = run(env, "s3://" + bucket + "/m", mnt2.toString(), "--region", "us-east-1");
    assertThat(bad.code()).as(bad.err() + bad.out()).isEqualTo(1);
    assertThat(names(mnt2)).isEmpty();
  }
}
