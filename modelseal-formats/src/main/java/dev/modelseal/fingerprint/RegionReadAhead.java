package dev.modelseal.fingerprint;

import dev.modelseal.internal.DirectBuffers;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hashes a file range while a helper thread reads the next chunks, so that a large tensor that
 * would otherwise leave a core idle is hashed at the speed of SHA-256 rather than of SHA-256 plus
 * the copy out of the page cache (as core's {@code ReadAhead} does for files). A fixed set of
 * page-aligned direct buffers, owned by the caller and reused, circulates between the two threads:
 * memory stays constant. Not thread-safe: one instance per hashing thread.
 */
final class RegionReadAhead {
  private static final int BUFFERS = 4;
  private static final int BUFFER = 1024 * 1024;

  private record Chunk(ByteBuffer buf, Throwable failure) {}

  private static final Chunk END = new Chunk(null, null);

  private final ByteBuffer[] buffers = new ByteBuffer[BUFFERS];

  RegionReadAhead() {
    for (int i = 0; i < BUFFERS; i++) {
      buffers[i] = DirectBuffers.pageAligned(BUFFER);
    }
  }

  /**
   * Feeds {@code [start, end)} of {@code ch} to {@code md} in order; returns false when {@code
   * abort} was set (the digest is then incomplete and must be discarded).
   *
   * @throws EOFException when the file ends before {@code end}
   * @throws IOException when reading fails or the thread is interrupted
   */
  boolean hash(FileChannel ch, long start, long end, MessageDigest md, AtomicBoolean abort)
      throws IOException {
    BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    for (ByteBuffer b : buffers) {
      free.add(b);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader =
        new Thread(() -> produce(ch, start, end, free, full, stop), "modelseal-fingerprint-read");
    reader.setDaemon(true);
    reader.start();
    try {
      while (true) {
        Chunk c = full.take();
        if (c == END) {
          return true;
        }
        if (c.failure != null) {
          rethrow(c.failure);
        }
        if (abort.get()) {
          return false;
        }
        md.update(c.buf);
        free.put(c.buf);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading", e);
    } finally {
      stop.set(true);
      free.clear();
      // Wake a reader blocked on free.take(); it never blocks on full (one slot per buffer + END).
      free.offer(ByteBuffer.allocate(0));
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // The reader is never interrupted: an interrupt during FileChannel.read would close the model's
  // shared channel for every other tensor.
  private static void produce(
      FileChannel ch,
      long start,
      long end,
      BlockingQueue<ByteBuffer> free,
      BlockingQueue<Chunk> full,
      AtomicBoolean stop) {
    try {
      long pos = start;
      while (pos < end) {
        ByteBuffer buf = free.take();
        if (stop.get()) {
          return;
        }
        int want = (int) Math.min(buf.capacity(), end - pos);
        buf.clear().limit(want);
        while (buf.hasRemaining()) {
          if (ch.read(buf, pos + buf.position()) < 0) {
            throw new EOFException("file ends inside tensor data");
          }
        }
        full.put(new Chunk(buf.flip(), null));
        pos += want;
      }
      full.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      full.offer(new Chunk(null, e));
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
