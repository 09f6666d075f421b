package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * {@code pull} in the life of a pipeline: a retried request is noted on standard error, SIGTERM
 * removes the staging directory (exit code 143), and staging directories of pulls that died are
 * swept by the next pull. A real S3-compatible server on 127.0.0.1 behind a small TCP proxy that
 * can drop connections and slow the download.
 */
class PullLifecycleTest {
  static S3Proxy s3proxy;
  static S3Client admin;
  static int upstreamPort;
  static final AtomicInteger buckets = new AtomicInteger();

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.disableEc2Metadata", "true");
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", Files.createTempDirectory("s3proxy").toString());
    p.setProperty("jclouds.identity", "");
    p.setProperty("jclouds.credential", "");
    s3proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", p))
            .awsAuthentication(AuthenticationType.NONE, "", "")
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
    s3proxy.start();
    while (!"STARTED".equals(s3proxy.getState())) {
      Thread.sleep(10);
    }
    upstreamPort = s3proxy.getPort();
    admin =
        S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + upstreamPort))
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
    s3proxy.stop();
  }

  /**
   * A TCP proxy to the S3 server: answers the first {@code drop} requests with 503, and sends
   * responses at about {@code bytesPerSecond} (0: full speed).
   */
  static final class Proxy implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger toDrop;
    final long bytesPerSecond;
    final List<Socket> open = new ArrayList<>();

    Proxy(int drop, long bytesPerSecond) throws IOException {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.toDrop = new AtomicInteger(drop);
      this.bytesPerSecond = bytesPerSecond;
      Thread t = new Thread(this::accept, "test-proxy");
      t.setDaemon(true);
      t.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket c = server.accept();
          if (toDrop.getAndDecrement() > 0) {
            // An overloaded front end: the request is read and refused with 503, which the
            // HTTP client cannot retry on its own (a reset it may silently retry).
            InputStream in = c.getInputStream();
            int state = 0;
            for (int b; state < 4 && (b = in.read()) >= 0; ) {
              state = (b == (state % 2 == 0 ? '\r' : '\n')) ? state + 1 : (b == '\r' ? 1 : 0);
            }
            c.getOutputStream()
                .write(
                    ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                            + "Connection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            c.close();
            continue;
          }
          Socket u = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
          synchronized (open) {
            open.add(c);
            open.add(u);
          }
          pump(c.getInputStream(), u.getOutputStream(), 0);
          pump(u.getInputStream(), c.getOutputStream(), bytesPerSecond);
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void pump(InputStream in, OutputStream out, long rate) {
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[rate > 0 ? 4096 : 65536];
                try {
                  for (int n; (n = in.read(b)) >= 0; ) {
                    out.write(b, 0, n);
                    out.flush();
                    if (rate > 0) {
                      Thread.sleep(Math.max(1, n * 1000L / rate));
                    }
                  }
                } catch (IOException | InterruptedException e) {
                  // connection closed
                } finally {
                  try {
                    out.close();
                  } catch (IOException e) {
                    // closed
                  }
                }
              },
              "test-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (open) {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }

  /** Uploads a model of one {@code size}-byte file; returns its s3:// URI and pin. */
  private String[] upload(int size) throws Exception {
    Path model = Files.createDirectories(tmp.resolve("src-" + size));
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Files.write(model.resolve("weights.bin"), data);
    String pin = CliRun.of("hash", model.toString(), "--pin").out().trim();
    String bucket = "life-" + buckets.incrementAndGet();
    admin.createBucket(r -> r.bucket(bucket));
    admin.putObject(
        r -> r.bucket(bucket).key("m/weights.bin"),
        RequestBody.fromFile(model.resolve("weights.bin")));
    return new String[] {"s3://" + bucket + "/m", pin};
  }

  private static List<Path> staging(Path parent) throws IOException {
    try (Stream<Path> s = Files.list(parent)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".modelseal-staging-")).toList();
    }
  }

  @Test
  void droppedConnection_retriedWithOneNoticeOnStderr() throws Exception {
    String[] m = upload(1000);
    try (Proxy proxy = new Proxy(1, 0)) {
      Path out = tmp.resolve("out/model");
      CliRun r =
          CliRun.of(
              "pull",
              m[0],
              "--to",
              out.toString(),
              "--digest",
              m[1],
              "--endpoint",
              proxy.endpoint(),
              "--path-style");
      assertThat(r.code()).as(r.err()).isZero();
      String[] lines = r.err().split("\n");
      assertThat(lines).hasSize(1);
      assertThat(lines[0])
          .startsWith("modelseal: s3://" + m[0].substring(5).split("/")[0])
          .contains(": attempt 1 of 4 failed (")
          .contains("); retrying in ");
      assertThat(out.resolve("weights.bin")).hasSize(1000);
      assertThat(staging(out.getParent())).isEmpty();
    }
  }

  @Test
  void sigterm_removesTheStagingDirectory_exit143() throws Exception {
    String[] m = upload(2 * 1024 * 1024);
    Path parent = Files.createDirectories(tmp.resolve("serving"));
    Path out = parent.resolve("model");
    try (Proxy slow = new Proxy(0, 256 * 1024)) { // about 8 s for the model
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Daws.disableEc2Metadata=true");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("dev.modelseal.cli.Main");
      cmd.addAll(
          List.of(
              "pull",
              m[0],
              "--to",
              out.toString(),
              "--digest",
              m[1],
              "--endpoint",
              slow.endpoint(),
              "--path-style",
              "--parallel",
              "1"));
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(tmp.resolve("pull.out").toFile())
              .redirectError(tmp.resolve("pull.err").toFile());
      pb.environment().put("AWS_ACCESS_KEY_ID", "test");
      pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
      Process p = pb.start();
      // Wait until the download is under way: a staging directory with some bytes in it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      boolean started = false;
      while (!started && System.nanoTime() < deadline && p.isAlive()) {
        for (Path s : staging(parent)) {
          Path f = s.resolve("model/weights.bin");
          started |= Files.exists(f) && Files.size(f) > 0;
        }
        Thread.sleep(20);
      }
      assertThat(started)
          .as("download started; stderr: " + Files.readString(tmp.resolve("pull.err")))
          .isTrue();
      assertThat(Files.readString(staging(parent).get(0).resolve(".owner")))
          .contains("pid=" + p.pid());
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(staging(parent)).isEmpty();
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void staleStagingOfADeadPull_sweptByTheNextPull_liveOneKept() throws Exception {
    String[] m = upload(1000);
    Path parent = Files.createDirectories(tmp.resolve("serving"));
    // A pull that died: its process ran on this host and has exited.
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    Path dead = Files.createDirectories(parent.resolve(".modelseal-staging-dead/model"));
    Files.write(dead.resolve("big.bin"), new byte[4096]);
    Files.writeString(
        dead.getParent().resolve(".owner"),
        "modelseal-staging/1\npid=" + gone.pid() + "\nhost=" + host + "\nstarted=1\n",
        StandardCharsets.US_ASCII);
    // A pull still running (this test's JVM) and one of another host, both recent: kept.
    ProcessHandle self = ProcessHandle.current();
    Path live = Files.createDirectories(parent.resolve(".modelseal-staging-live"));
    Files.writeString(
        live.resolve(".owner"),
        "modelseal-staging/1\npid="
            + self.pid()
            + "\nhost="
            + host
            + "\nstarted="
            + self.info().startInstant().orElseThrow().toEpochMilli()
            + "\n");
    Path other = Files.createDirectories(parent.resolve(".modelseal-staging-other"));
    Files.writeString(other.resolve(".owner"), "pid=1\nhost=another-host\nstarted=1\n");
    // One without an owner file (an older version's), two days old: swept by age.
    Path ancient = Files.createDirectories(parent.resolve(".modelseal-staging-ancient"));
    Files.setLastModifiedTime(ancient, FileTime.from(Instant.now().minusSeconds(2 * 86400)));
    Path out = parent.resolve("model");
    try (Proxy proxy = new Proxy(0, 0)) {
      CliRun r =
          CliRun.of(
              "pull",
              m[0],
              "--to",
              out.toString(),
              "--digest",
              m[1],
              "--endpoint",
              proxy.endpoint(),
              "--path-style");
      assertThat(r.code()).as(r.err()).isZero();
    }
    assertThat(dead.getParent()).doesNotExist();
    assertThat(ancient).doesNotExist();
    assertThat(live).exists();
    assertThat(other).exists();
    assertThat(staging(parent)).containsExactlyInAnyOrder(live, other);
  }
}
