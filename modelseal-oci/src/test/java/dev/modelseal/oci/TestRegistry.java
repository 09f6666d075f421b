package dev.modelseal.oci;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real CNCF distribution registry ({@code docker-registry serve CONFIG}) on 127.0.0.1, on a free
 * port, with its own temporary config and storage directory; optionally with htpasswd (basic)
 * authentication. Missing binary: the test fails when {@code modelseal.requireRegistry} is true
 * (CI), else it is skipped.
 */
public final class TestRegistry implements AutoCloseable {
  static final String USER = "alice";
  static final String PASSWORD = "s3cret-pass";

  final Path dir;
  final Path storage;
  final int port;
  private final Path config;
  private Process process;

  private TestRegistry(Path dir, int port, boolean auth) throws IOException {
    this(dir, port, auth, null);
  }

  /**
   * With {@code tokenAuth} (realm URL, service, issuer, root certificate PEM file): the registry's
   * token authentication, bearer tokens signed by that root's key.
   */
  private TestRegistry(Path dir, int port, boolean auth, String[] tokenAuth) throws IOException {
    this.dir = dir;
    this.port = port;
    this.storage = Files.createDirectories(dir.resolve("storage"));
    StringBuilder c = new StringBuilder();
    c.append("version: 0.1\n")
        .append("log:\n  level: error\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ")
        .append(storage)
        .append("\n  delete:\n    enabled: true\n")
        .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
        .append("http:\n  addr: 127.0.0.1:")
        .append(port)
        .append("\n  secret: modelseal-test-secret\n");
    if (auth) {
      Path htpasswd = dir.resolve("htpasswd");
      String hash = OpenBSDBCrypt.generate("2a", PASSWORD.toCharArray(), salt(), 5);
      Files.writeString(htpasswd, USER + ":" + hash + "\n");
      c.append("auth:\n  htpasswd:\n    realm: modelseal-test\n    path: ")
          .append(htpasswd)
          .append("\n");
    }
    if (tokenAuth != null) {
      c.append("auth:\n  token:\n    realm: ")
          .append(tokenAuth[0])
          .append("\n    service: ")
          .append(tokenAuth[1])
          .append("\n    issuer: ")
          .append(tokenAuth[2])
          .append("\n    rootcertbundle: ")
          .append(tokenAuth[3])
          .append("\n");
    }
    this.config = Files.writeString(dir.resolve("config.yml"), c.toString());
  }

  private static byte[] salt() {
    byte[] s = new byte[16];
    new java.security.SecureRandom().nextBytes(s);
    return s;
  }

  /** The registry binary, or a failure/skip when it is missing. */
  static Path binary() {
    Path bin = Path.of(System.getProperty("modelseal.registry", "/usr/bin/docker-registry"));
    if (!Files.isExecutable(bin)) {
      if (Boolean.getBoolean("modelseal.requireRegistry")) {
        fail(bin + " is missing: apt-get install -y docker-registry (.ci/run does)");
      }
      assumeTrue(false, bin + " is missing (apt-get install -y docker-registry)");
    }
    return bin;
  }

  /** Starts a registry in {@code dir}, with htpasswd authentication when {@code auth}. */
  public static TestRegistry start(Path dir, boolean auth) throws Exception {
    Path bin = binary();
    TestRegistry r = new TestRegistry(dir, freePort(), auth);
    r.launch(bin);
    return r;
  }

  /** Starts a registry with token (bearer) authentication; see {@link TokenServer}. */
  static TestRegistry startWithTokens(Path dir, TokenServer tokens) throws Exception {
    Path bin = binary();
    TestRegistry r =
        new TestRegistry(
            dir,
            freePort(),
            false,
            new String[] {
              tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.rootPem().toString()
            });
    r.launch(bin);
    return r;
  }

  private void launch(Path bin) throws Exception {
    process =
        new ProcessBuilder(bin.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("the registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        int s = c.getResponseCode();
        c.disconnect();
        if (s == 200 || s == 401) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(50);
    }
    fail("the registry did not start: " + Files.readString(dir.resolve("registry.log")));
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** {@code oci://127.0.0.1:PORT/REPO:TAG}. */
  OciReference ref(String repoAndTag) {
    return OciReference.parse("oci://" + host() + "/" + repoAndTag);
  }

  /** The blob's data file in the storage directory. */
  public Path blobFile(String digest) {
    String hex = digest.substring("sha256:".length());
    return storage.resolve(
        "docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
  }

  /** A docker config.json with this registry's credentials. */
  Path authFile(Path where) throws IOException {
    String auth =
        java.util.Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    return Files.writeString(where, "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}");
  }

  /** Stops the registry (killed at once). */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Pushes {@code files} as a ModelPack-style model (one raw layer per file) under {@code
   * repository:tag}; returns the manifest digest and the layer digests by file name.
   */
  public Pushed push(String repository, String tag, java.util.Map<String, byte[]> files)
      throws Exception {
    Fixtures f = new Fixtures(this, repository, null);
    try {
      java.util.Map<String, String> layers = new java.util.LinkedHashMap<>();
      java.util.List<Descriptor> ds = f.rawLayers(files);
      for (Descriptor d : ds) {
        layers.put(d.annotations().get(MediaTypes.TITLE), d.digest());
      }
      return new Pushed(f.pushManifest(tag, ds), layers);
    } finally {
      f.client.close();
    }
  }

  /** What {@link #push} pushed. */
  public record Pushed(String manifestDigest, java.util.Map<String, String> layerDigests) {}

  @Override
  public void close() throws Exception {
    stop();
    if (Files.exists(storage)) {
      try (Stream<Path> s = Files.walk(storage)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
