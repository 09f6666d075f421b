package dev.modelseal.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy between the client and s3proxy that injects faults into its first {@code
 * faults} connections: HTTP 500s, connections closed after a byte budget, or stalls after it.
 */
final class FaultProxy implements AutoCloseable {
  enum Mode {
    PASS,
    ERROR_500,
    CLOSE_AFTER,
    STALL_AFTER
  }

  private final ServerSocket server;
  private final int upstreamPort;
  private final Mode mode;
  private final AtomicInteger faultsLeft;
  private final long budget;
  final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  FaultProxy(URI upstream, Mode mode, int faults, long budget) throws IOException {
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.upstreamPort = upstream.getPort();
    this.mode = mode;
    this.faultsLeft = new AtomicInteger(faults);
    this.budget = budget;
    Thread t = new Thread(this::acceptLoop, "fault-proxy");
    t.setDaemon(true);
    t.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket c = server.accept();
        connections.incrementAndGet();
        boolean fault = mode != Mode.PASS && faultsLeft.getAndDecrement() > 0;
        Thread t = new Thread(() -> handle(c, fault ? mode : Mode.PASS), "fault-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client, Mode m) {
    try (client;
        Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      if (m == Mode.ERROR_500) {
        readHead(client.getInputStream());
        client
            .getOutputStream()
            .write(
                ("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        return;
      }
      Thread req =
          new Thread(
              () -> {
                try {
                  client.getInputStream().transferTo(up.getOutputStream());
                } catch (IOException e) {
                  // connection ended
                }
              });
      req.setDaemon(true);
      req.start();
      InputStream in = up.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] buf = new byte[8192];
      long sent = 0;
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (m != Mode.PASS && sent + n > budget) {
          int part = (int) Math.max(0, budget - sent);
          out.write(buf, 0, part);
          out.flush();
          if (m == Mode.STALL_AFTER) {
            Thread.sleep(3_000); // silent: the client's read timeout must fire
          }
          return;
        }
        out.write(buf, 0, n);
        out.flush();
        sent += n;
      }
    } catch (IOException | InterruptedException e) {
      // the client went away
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
