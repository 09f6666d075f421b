package dev.modelseal.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FIFOs, sockets and devices: what they are called in a message, and a bounded copy of one given
 * directly to the scanner. The copy runs on a daemon thread so that a pipe nobody writes to (whose
 * open blocks) or that stops sending is given up after {@link ScanLimits#streamWait()} instead of
 * hanging the scan.
 */
final class SpecialFiles {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;

  private SpecialFiles() {}

  /** A copy of a special file's bytes; {@code truncated} when it had more than the limit. */
  record Copy(Path file, long size, boolean truncated) {}

  /** "a FIFO", "a socket", "a character device", ... for {@code p} (links followed). */
  static String kind(Path p) {
    int mode;
    try {
      mode = ((Number) Files.getAttribute(p, "unix:mode")).intValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file (not a regular file or directory)";
    }
    return switch (mode & S_IFMT) {
      case S_IFIFO -> "a FIFO (named pipe)";
      case S_IFSOCK -> "a socket";
      case S_IFCHR -> "a character device";
      case S_IFBLK -> "a block device";
      default -> "a special file (not a regular file or directory)";
    };
  }

  /**
   * Copies at most {@code limits.streamBytes()} bytes of {@code p} into {@code target}; fails with
   * a one-line reason for a socket, a pipe silent for {@code limits.streamWait()}, or a read error.
   */
  static Copy copy(Path p, ScanLimits limits, Path target) throws IOException {
    String kind = kind(p);
    if (kind.equals("a socket")) {
      throw new IOException("is a socket, not a file to scan");
    }
    long max = limits.streamBytes();
    AtomicLong progress = new AtomicLong();
    AtomicLong copied = new AtomicLong();
    IOException[] failure = new IOException[1];
    boolean[] truncated = new boolean[1];
    Thread reader =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try (InputStream in = Files.newInputStream(p);
                  OutputStream out = Files.newOutputStream(target)) {
                progress.incrementAndGet();
                long total = 0;
                int n;
                while ((n = in.read(buf, 0, (int) Math.min(buf.length, max + 1 - total))) > 0) {
                  int keep = (int) Math.min(n, max - total);
                  out.write(buf, 0, keep);
                  total += n;
                  copied.set(Math.min(total, max));
                  progress.incrementAndGet();
                  if (total > max) {
                    truncated[0] = true;
                    break;
                  }
                }
              } catch (IOException e) {
                failure[0] = e;
              }
            },
            "modelseal-scan-stream");
    reader.setDaemon(true);
    reader.start();
    long waitMillis = Math.max(1, limits.streamWait().toMillis());
    long seen = 0;
    while (true) {
      try {
        reader.join(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading " + kind);
      }
      if (!reader.isAlive()) {
        break;
      }
      long now = progress.get();
      if (now == seen) {
        throw new IOException(
            kind
                + " sent nothing for "
                + limits.streamWait().toSeconds()
                + " s (no writer?); not scanned");
      }
      seen = now;
    }
    if (failure[0] != null) {
      throw new IOException("cannot read " + kind + ": " + ModelScanner.message(failure[0]));
    }
    return new Copy(target, copied.get(), truncated[0]);
  }
}
