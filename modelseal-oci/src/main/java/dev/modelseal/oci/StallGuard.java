package dev.modelseal.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fails a response body that delivers no byte for longer than the read timeout: the JDK client's
 * request timeout covers only the wait for the headers, so a daemon thread closes a stalled stream,
 * and its next read throws {@link Stalled}.
 */
final class StallGuard implements AutoCloseable {
  private final long timeoutNanos;
  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  StallGuard(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "modelseal-oci-stall-guard");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
    timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  /** A read timed out: no byte within the read timeout. */
  static final class Stalled extends IOException {
    private static final long serialVersionUID = 1L;

    Stalled() {
      super("read timed out (stalled)");
    }
  }

  /** {@code in}, closed when it stalls; close the returned stream when done. */
  InputStream watch(InputStream in) {
    Watched w = new Watched(in);
    watched.add(w);
    return w;
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Watched w : watched) {
      if (now - w.last > timeoutNanos) {
        w.stalled = true;
        watched.remove(w);
        try {
          w.in().close();
        } catch (IOException | RuntimeException e) {
          // closing is all we can do
        }
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private final class Watched extends FilterInputStream {
    private volatile long last = System.nanoTime();
    private volatile boolean stalled;

    Watched(InputStream in) {
      super(in);
    }

    InputStream in() {
      return in;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      int n = read(b, 0, 1);
      return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (stalled) {
        throw new Stalled();
      }
      try {
        int n = super.read(b, off, len);
        last = System.nanoTime();
        return n;
      } catch (IOException e) {
        if (stalled) {
          throw new Stalled();
        }
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      watched.remove(this);
      super.close();
    }
  }
}
