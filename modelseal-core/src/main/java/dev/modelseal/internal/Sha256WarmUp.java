package dev.modelseal.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JIT to compile the JDK's SHA-256 with its SHA-extension intrinsic before a large hash
 * starts, once per JVM, <em>only when asked</em> ({@link
 * dev.modelseal.manifest.ModelHasher#startJitWarmUp}, which the command-line tool calls at
 * start-up): a library caller that never asks pays nothing, not even a thread. It hashes a few
 * thousand small blocks that nobody reads: it computes nothing that is used and affects no output,
 * only when full speed is reached.
 *
 * <p>Why: until the JIT's optimizing compiler has compiled the digest's update loop, SHA-256 runs
 * in the interpreter or in unoptimized code at about 1% of its final speed, and hashing threads
 * that start at once only slow the compilers down (they share the cores). Measured on the benchmark
 * machine (2 cores, 2 x 512 MiB): this warm-up first, then the hashing threads, was 20-50 ms faster
 * than hashing at once, and 50 ms faster than the same warm-up run beside the hashing threads
 * (benchmarks/README.md).
 */
public final class Sha256WarmUp {
  /** Updates of one block each, the shape the hashing threads' profile needs. */
  private static final int CALLS = 20_000;

  /** Blocks per warm-up message (the messages are finished, see below). */
  private static final int MESSAGE_BLOCKS = 16;

  /** The longest a hash waits for a warm-up run by another thread. */
  private static final long MAX_WAIT_MILLIS = 300;

  private static final AtomicBoolean STARTED = new AtomicBoolean();
  // A nested class rather than a method reference: no lambda to spin at start-up.
  private static final FutureTask<Void> TASK = new FutureTask<>(new Job(), null);

  private Sha256WarmUp() {}

  /** Starts the warm-up in a daemon thread, unless it was started before. */
  public static void startInBackground() {
    if (STARTED.compareAndSet(false, true)) {
      Thread t = new Thread(TASK, "modelseal-warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Returns once a warm-up started by {@link #startInBackground} has run (waiting at most {@value
   * #MAX_WAIT_MILLIS} ms); returns at once when none was started: nobody asked for one.
   */
  public static void await() {
    if (!STARTED.get()) {
      return;
    }
    try {
      TASK.get(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Only a head start: hashing is correct without it.
    }
  }

  private static final class Job implements Runnable {
    @Override
    public void run() {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64];
        for (int i = 1; i <= CALLS; i++) {
          md.update(block, 0, block.length);
          if (i % MESSAGE_BLOCKS == 0) {
            // Finishing a digest takes the padding paths a resource's last update takes: with
            // them in the profile, the compiled update is not thrown away at the end of the first
            // file.
            md.digest();
          }
        }
      } catch (NoSuchAlgorithmException e) {
        // Nothing to warm up.
      }
    }
  }
}
