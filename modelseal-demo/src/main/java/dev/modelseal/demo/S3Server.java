package dev.modelseal.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible server (s3proxy, filesystem store) on 127.0.0.1, run in a separate JVM from the
 * jars collected by the {@code modelseal-demo-s3proxy} module, so that none of its dependencies is
 * on modelseal's class path. Stopped (and its process killed) on {@link #close()}.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "modelseal-demo";
  static final String SECRET_KEY = "modelseal-demo-secret";

  private final Process process;
  private final URI endpoint;

  private S3Server(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts the server with its data and logs under {@code workDir}. */
  static S3Server start(Path libDir, Path workDir) throws IOException, InterruptedException {
    if (!Files.isDirectory(libDir)) {
      throw new IOException(
          "s3proxy jars not found at " + libDir + " (build with ./mvnw -q -B install -DskipTests)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Files.createDirectories(workDir.resolve("s3-data"));
    Path conf = workDir.resolve("s3proxy.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data,
            ""),
        StandardCharsets.UTF_8);
    Path logback = workDir.resolve("s3proxy-logback.xml");
    Files.writeString(
        logback,
        "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\">"
            + "<file>"
            + workDir.resolve("s3proxy.log")
            + "</file><encoder><pattern>%d %level %logger %msg%n</pattern></encoder></appender>"
            + "<root level=\"WARN\"><appender-ref ref=\"F\"/></root></configuration>",
        StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=" + logback,
                    "-cp",
                    libDir.resolve("*").toString(),
                    "org.gaul.s3proxy.Main",
                    "--properties",
                    conf.toString()))
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("s3proxy.out").toFile())
            .start();
    S3Server server = new S3Server(p, URI.create("http://127.0.0.1:" + port));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("s3proxy exited at start; see " + workDir.resolve("s3proxy.out"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return server;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    server.close();
    throw new IOException("s3proxy did not start within 30 s");
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
