package dev.modelseal.manifest;

import dev.modelseal.ModelsealException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a byte range of a file on a helper thread while the calling thread hashes what was read
 * before, so that one large file is hashed at the speed of the hash function rather than the speed
 * of the hash plus the copy out of the page cache. Used only when a core would otherwise be idle. A
 * few fixed buffers circulate between the two threads: memory stays constant.
 */
final class ReadAhead {
  private static final int BUFFERS = 4;
  private static final int BUFFER = 1024 * 1024;

  /** Receives the chunks in file order on the calling thread. */
  interface ChunkConsumer {
    void accept(long position, byte[] buf, int len) throws IOException, ModelsealException;
  }

  private record Chunk(long position, byte[] buf, int len, Throwable failure) {}

  private static final Chunk END = new Chunk(-1, null, 0, null);

  private ReadAhead() {}

  /**
   * Reads {@code [start, end)} of {@code ch} and hands each chunk to {@code consumer}.
   *
   * @throws EOFException when the file is shorter than {@code end}
   * @throws IOException when reading fails
   */
  static void read(
      FileChannel ch, long start, long end, ChunkConsumer consumer, AtomicBoolean abort)
      throws IOException, ModelsealException {
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new byte[BUFFER]);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread producer =
        new Thread(() -> produce(ch, start, end, free, full, stop), "modelseal-read-ahead");
    producer.setDaemon(true);
    producer.start();
    try {
      while (true) {
        Chunk c = full.take();
        if (c == END) {
          return;
        }
        if (c.failure != null) {
          rethrow(c.failure);
        }
        if (abort.get()) {
          return;
        }
        consumer.accept(c.position, c.buf, c.len);
        free.put(c.buf);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading", e);
    } finally {
      stop.set(true);
      producer.interrupt();
      try {
        producer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void produce(
      FileChannel ch,
      long start,
      long end,
      BlockingQueue<byte[]> free,
      BlockingQueue<Chunk> full,
      AtomicBoolean stop) {
    try {
      long pos = start;
      while (pos < end && !stop.get()) {
        byte[] buf = free.take();
        int want = (int) Math.min(buf.length, end - pos);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
        while (bb.hasRemaining()) {
          int n = ch.read(bb, pos + bb.position());
          if (n < 0) {
            throw new EOFException("file was truncated while it was read");
          }
        }
        full.put(new Chunk(pos, buf, want, null));
        pos += want;
      }
      full.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      full.offer(new Chunk(-1, null, 0, e));
    }
  }

  private static void rethrow(Throwable t) throws IOException {
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    throw new IllegalStateException(t);
  }
}
