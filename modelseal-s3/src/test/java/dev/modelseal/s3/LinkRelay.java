package dev.modelseal.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 in front of a test server whose server-to-client bytes, over all
 * connections together, pass at most at a fixed rate: a network link shared by every download, as
 * between a pod and its object store. For {@link PullBenchmark} only (both the plain download and
 * the pull go through the same relay). Not a unit test helper for correctness.
 */
final class LinkRelay implements AutoCloseable {
  private static final int CHUNK = 256 * 1024;

  private final ServerSocket listener;
  private final String host;
  private final int port;
  private final double nanosPerByte;
  private long linkFreeAt = System.nanoTime();

  private LinkRelay(URI target, long bytesPerSecond) throws IOException {
    this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    this.host = target.getHost();
    this.port = target.getPort();
    this.nanosPerByte = 1e9 / bytesPerSecond;
  }

  static LinkRelay start(URI target, long bytesPerSecond) throws IOException {
    LinkRelay r = new LinkRelay(target, bytesPerSecond);
    Thread t = new Thread(r::acceptLoop, "link-relay");
    t.setDaemon(true);
    t.start();
    return r;
  }

  /**
   * {@code LinkRelay HOST:PORT MIB_PER_S}: relays 127.0.0.1:(printed port) to HOST:PORT until
   * killed (for benchmarks/bench-oci.sh).
   */
  public static void main(String[] args) throws Exception {
    LinkRelay r = start(URI.create("http://" + args[0]), Long.parseLong(args[1]) << 20);
    System.out.println(r.listener.getLocalPort());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(host, port);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean limited) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[CHUNK];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  if (limited) {
                    waitForLink(n);
                  }
                  out.write(buf, 0, n);
                }
              } catch (IOException e) {
                // the other side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "link-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Reserves the link for {@code n} bytes after whatever is already reserved, and waits. */
  private void waitForLink(int n) {
    long until;
    synchronized (this) {
      long start = Math.max(System.nanoTime(), linkFreeAt);
      linkFreeAt = start + (long) (n * nanosPerByte);
      until = linkFreeAt;
    }
    long left;
    while ((left = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
