package dev.modelseal.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link S3ModelSource} talks to the store, and the limits it enforces. Immutable; every setter
 * returns a new instance. Defaults: AWS endpoint resolution, region {@code us-east-1} when none is
 * configured (what S3-compatible stores expect), virtual-hosted addressing, connect timeout 10 s,
 * read timeout 30 s (a stalled stream fails after it), 4 attempts per request with exponential
 * backoff from 200 ms, 4 parallel downloads, ranged GETs of 128 MiB parts for objects of 128 MiB or
 * more (a part is fetched after the one before it, since the object is hashed in order, so few
 * large parts: with 32 MiB parts, pull + verify of 1 GiB took 1.31x a plain download, with 128 MiB
 * parts 1.05x; benchmarks/README.md), at most 100,000 objects and 1 TiB in total.
 */
public final class S3Options {
  private final URI endpoint;
  private final String region;
  private final boolean pathStyle;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxAttempts;
  private final Duration backoff;
  private final int parallelism;
  private final long rangedThreshold;
  private final long partSize;
  private final long maxTotalBytes;
  private final int maxObjects;

  private S3Options(
      URI endpoint,
      String region,
      boolean pathStyle,
      Duration connectTimeout,
      Duration readTimeout,
      int maxAttempts,
      Duration backoff,
      int parallelism,
      long rangedThreshold,
      long partSize,
      long maxTotalBytes,
      int maxObjects) {
    this.endpoint = endpoint;
    this.region = region;
    this.pathStyle = pathStyle;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.parallelism = parallelism;
    this.rangedThreshold = rangedThreshold;
    this.partSize = partSize;
    this.maxTotalBytes = maxTotalBytes;
    this.maxObjects = maxObjects;
  }

  /** The defaults described above. */
  public static S3Options defaults() {
    return new S3Options(
        null,
        null,
        false,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        4,
        Duration.ofMillis(200),
        4,
        128L << 20,
        128L << 20,
        1L << 40,
        100_000);
  }

  /** An S3-compatible endpoint (e.g. {@code http://127.0.0.1:9000}); null for AWS. */
  public S3Options endpoint(URI e) {
    return new S3Options(
        e,
        region,
        pathStyle,
        connectTimeout,
        readTimeout,
        maxAttempts,
        backoff,
        parallelism,
        rangedThreshold,
        partSize,
        maxTotalBytes,
        maxObjects);
  }

  /** The signing region; null for the provider chain, then {@code us-east-1}. */
  public S3Options region(String r) {
    return new S3Options(
        endpoint,
        r,
        pathStyle,
        connectTimeout,
        readTimeout,
        maxAttempts,
        backoff,
        parallelism,
        rangedThreshold,
        partSize,
        maxTotalBytes,
        maxObjects);
  }

  /** Path-style addressing ({@code endpoint/bucket/key}), which most S3-compatible stores need. */
  public S3Options pathStyle(boolean on) {
    return new S3Options(
        endpoint,
        region,
        on,
        connectTimeout,
        readTimeout,
        maxAttempts,
        backoff,
        parallelism,
        rangedThreshold,
        partSize,
        maxTotalBytes,
        maxObjects);
  }

  /** Connect and read (no byte for this long) timeouts. */
  public S3Options timeouts(Duration connect, Duration read) {
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        positive(connect),
        positive(read),
        maxAttempts,
        backoff,
        parallelism,
        rangedThreshold,
        partSize,
        maxTotalBytes,
        maxObjects);
  }

  /** Attempts per request (at least 1) and the first backoff (doubled after each failure). */
  public S3Options retries(int attempts, Duration firstBackoff) {
    if (attempts < 1 || attempts > 20) {
      throw new IllegalArgumentException("attempts must be between 1 and 20");
    }
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        connectTimeout,
        readTimeout,
        attempts,
        Objects.requireNonNull(firstBackoff),
        parallelism,
        rangedThreshold,
        partSize,
        maxTotalBytes,
        maxObjects);
  }

  /** Objects downloaded at once (1 to 64). */
  public S3Options parallelism(int n) {
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("parallelism must be between 1 and 64");
    }
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        connectTimeout,
        readTimeout,
        maxAttempts,
        backoff,
        n,
        rangedThreshold,
        partSize,
        maxTotalBytes,
        maxObjects);
  }

  /** Objects of at least {@code threshold} bytes are fetched in ranged parts of {@code part}. */
  public S3Options ranged(long threshold, long part) {
    if (part < (1L << 20) || threshold < part) {
      throw new IllegalArgumentException("part >= 1 MiB and threshold >= part are required");
    }
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        connectTimeout,
        readTimeout,
        maxAttempts,
        backoff,
        parallelism,
        threshold,
        part,
        maxTotalBytes,
        maxObjects);
  }

  /** Refuses a model of more than {@code bytes} in total or more than {@code objects} objects. */
  public S3Options limits(long bytes, int objects) {
    if (bytes < 1 || objects < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        connectTimeout,
        readTimeout,
        maxAttempts,
        backoff,
        parallelism,
        rangedThreshold,
        partSize,
        bytes,
        objects);
  }

  private static Duration positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    return d;
  }

  URI endpoint() {
    return endpoint;
  }

  String region() {
    return region;
  }

  boolean pathStyle() {
    return pathStyle;
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  Duration readTimeout() {
    return readTimeout;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  Duration backoff() {
    return backoff;
  }

  int parallelism() {
    return parallelism;
  }

  long rangedThreshold() {
    return rangedThreshold;
  }

  long partSize() {
    return partSize;
  }

  long maxTotalBytes() {
    return maxTotalBytes;
  }

  int maxObjects() {
    return maxObjects;
  }
}
