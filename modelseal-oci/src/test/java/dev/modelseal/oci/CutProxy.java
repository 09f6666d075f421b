package dev.modelseal.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of the registry that runs {@code onCut} (stopping the registry)
 * and drops the connection once {@code cutAfter} bytes of responses have passed.
 */
final class CutProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstream;
  private final long cutAfter;
  private final Runnable onCut;
  private final AtomicLong passed = new AtomicLong();
  private volatile boolean cut;
  private final boolean hang;

  CutProxy(int upstream, long cutAfter, Runnable onCut) throws IOException {
    this(upstream, cutAfter, onCut, false);
  }

  /**
   * With {@code hang}, the connection that reaches {@code cutAfter} is held open without a further
   * byte (a stalled transfer) instead of being dropped; later connections pass everything.
   */
  CutProxy(int upstream, long cutAfter, Runnable onCut, boolean hang) throws IOException {
    this.hang = hang;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstream = upstream;
    this.cutAfter = cutAfter;
    this.onCut = onCut;
    Thread t = new Thread(this::accept, "cut-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket up;
        try {
          up = new Socket(InetAddress.getLoopbackAddress(), upstream);
        } catch (IOException e) {
          client.close();
          continue;
        }
        pump(client.getInputStream(), up.getOutputStream(), client, up, false);
        pump(up.getInputStream(), client.getOutputStream(), client, up, true);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out, Socket a, Socket b, boolean response) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  if (response && !cut && passed.addAndGet(n) > cutAfter) {
                    cut = true;
                    onCut.run();
                    if (hang) {
                      Thread.sleep(60_000); // the client gives up on this connection first
                    }
                    break;
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // connection gone
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                closeQuietly(a);
                closeQuietly(b);
              }
            });
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // gone
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
