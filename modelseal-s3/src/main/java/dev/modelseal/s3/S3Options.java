package dev.modelseal.s3;

import dev.modelseal.manifest.HashProgress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link S3ModelSource} talks to the store, and the limits it enforces. Immutable: made by a
 * {@link Builder} ({@code S3Options.builder().endpoint(uri).pathStyle(true).build()}); each {@code
 * withX}-style method of an instance returns a changed copy. Defaults: AWS endpoint resolution,
 * region {@code us-east-1} when none is configured (what S3-compatible stores expect),
 * virtual-hosted addressing, connect timeout 10 s, read timeout 30 s (a stalled stream fails after
 * it), 4 attempts per request with exponential backoff from 200 ms, 4 parallel downloads, ranged
 * GETs of 128 MiB parts for objects of 128 MiB or more (a part is fetched after the one before it,
 * since the object is hashed in order, so few large parts: with 32 MiB parts, pull + verify of 1
 * GiB took 1.31x a plain download, with 128 MiB parts 1.05x; benchmarks/README.md), at most 100,000
 * objects and 1 TiB in total.
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
  private final int connectionsPerObject;
  private final long maxTotalBytes;
  private final int maxObjects;
  private final RetryListener retryListener;
  private final HashProgress progress;

  /** Told about each request that failed and will be tried again (from the downloading thread). */
  @FunctionalInterface
  public interface RetryListener {
    /**
     * Request {@code uri} failed for {@code reason} on attempt {@code attempt} of {@code
     * maxAttempts}; the next attempt starts after {@code wait}.
     */
    void retrying(String uri, int attempt, int maxAttempts, String reason, Duration wait);

    /** Tells nobody. */
    RetryListener NONE = (uri, attempt, max, reason, wait) -> {};
  }

  private S3Options(Builder b) {
    this.endpoint = b.endpoint;
    this.region = b.region;
    this.pathStyle = b.pathStyle;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.parallelism = b.parallelism;
    this.rangedThreshold = b.rangedThreshold;
    this.partSize = b.partSize;
    this.connectionsPerObject = b.connectionsPerObject;
    this.maxTotalBytes = b.maxTotalBytes;
    this.maxObjects = b.maxObjects;
    this.retryListener = b.retryListener;
    this.progress = b.progress;
  }

  /** The defaults described above. */
  public static S3Options defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpoint = endpoint;
    b.region = region;
    b.pathStyle = pathStyle;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.maxAttempts = maxAttempts;
    b.backoff = backoff;
    b.parallelism = parallelism;
    b.rangedThreshold = rangedThreshold;
    b.partSize = partSize;
    b.connectionsPerObject = connectionsPerObject;
    b.maxTotalBytes = maxTotalBytes;
    b.maxObjects = maxObjects;
    b.retryListener = retryListener;
    b.progress = progress;
    return b;
  }

  /** These options reporting the bytes downloaded to {@code p}. */
  public S3Options progress(HashProgress p) {
    return toBuilder().progress(p).build();
  }

  /** These options telling {@code listener} about each retried request. */
  public S3Options onRetry(RetryListener listener) {
    return toBuilder().onRetry(listener).build();
  }

  /** These options with another endpoint ({@link Builder#endpoint}). */
  public S3Options endpoint(URI e) {
    return toBuilder().endpoint(e).build();
  }

  /** These options with another region ({@link Builder#region}). */
  public S3Options region(String r) {
    return toBuilder().region(r).build();
  }

  /** These options with path-style addressing on or off ({@link Builder#pathStyle}). */
  public S3Options pathStyle(boolean on) {
    return toBuilder().pathStyle(on).build();
  }

  /** These options with other timeouts ({@link Builder#timeouts}). */
  public S3Options timeouts(Duration connect, Duration read) {
    return toBuilder().timeouts(connect, read).build();
  }

  /** These options with other retries ({@link Builder#retries}). */
  public S3Options retries(int attempts, Duration firstBackoff) {
    return toBuilder().retries(attempts, firstBackoff).build();
  }

  /** These options with another parallelism ({@link Builder#parallelism}). */
  public S3Options parallelism(int n) {
    return toBuilder().parallelism(n).build();
  }

  /** These options with other ranged-download sizes ({@link Builder#ranged}). */
  public S3Options ranged(long threshold, long part) {
    return toBuilder().ranged(threshold, part).build();
  }

  /** These options with other limits ({@link Builder#limits}). */
  public S3Options limits(long bytes, int objects) {
    return toBuilder().limits(bytes, objects).build();
  }

  /** Builds {@link S3Options}; each setter checks its values. */
  public static final class Builder {
    private URI endpoint;
    private String region;
    private boolean pathStyle;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private int maxAttempts = 4;
    private Duration backoff = Duration.ofMillis(200);
    private int parallelism = 4;
    private long rangedThreshold = 128L << 20;
    private long partSize = 128L << 20;
    private int connectionsPerObject = 4;
    private long maxTotalBytes = 1L << 40;
    private int maxObjects = 100_000;
    private RetryListener retryListener = RetryListener.NONE;
    private HashProgress progress = HashProgress.NONE;

    /**
     * Reports the bytes downloaded to {@code p} (total first, then each chunk as it is written;
     * called from the downloading threads).
     */
    public Builder progress(HashProgress p) {
      this.progress = Objects.requireNonNull(p, "progress");
      return this;
    }

    /** Tells {@code listener} about each request that will be retried (default: nobody). */
    public Builder onRetry(RetryListener listener) {
      this.retryListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    private Builder() {}

    /** An S3-compatible endpoint (e.g. {@code http://127.0.0.1:9000}); null for AWS. */
    public Builder endpoint(URI e) {
      this.endpoint = e;
      return this;
    }

    /** The signing region; null for the provider chain, then {@code us-east-1}. */
    public Builder region(String r) {
      this.region = r;
      return this;
    }

    /**
     * Path-style addressing ({@code endpoint/bucket/key}), which most S3-compatible stores need.
     */
    public Builder pathStyle(boolean on) {
      this.pathStyle = on;
      return this;
    }

    /** Connect and read (no byte for this long) timeouts. */
    public Builder timeouts(Duration connect, Duration read) {
      this.connectTimeout = positive(connect);
      this.readTimeout = positive(read);
      return this;
    }

    /** Attempts per request (1 to 20) and the first backoff (doubled after each failure). */
    public Builder retries(int attempts, Duration firstBackoff) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("attempts must be between 1 and 20");
      }
      this.maxAttempts = attempts;
      this.backoff = Objects.requireNonNull(firstBackoff);
      return this;
    }

    /** Objects downloaded at once (1 to 64). */
    public Builder parallelism(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("parallelism must be between 1 and 64");
      }
      this.parallelism = n;
      return this;
    }

    /** Objects of at least {@code threshold} bytes are fetched in ranged parts of {@code part}. */
    public Builder ranged(long threshold, long part) {
      if (part < (1L << 20) || threshold < part) {
        throw new IllegalArgumentException("part >= 1 MiB and threshold >= part are required");
      }
      this.rangedThreshold = threshold;
      this.partSize = part;
      return this;
    }

    /**
     * Connections for one ranged object at most (1 to 64, default 4): its parts are fetched at once
     * and stored at their positions while the object is hashed in order ({@link
     * dev.modelseal.source.RangedFetch}); 1 fetches the parts one after another. The pull's
     * connections stay within {@link #parallelism}: with as many large objects as parallel
     * downloads, each object gets one connection (measured: more connections than that on two cores
     * made a 16-object pull slower, benchmarks/README.md). A check in place (nothing staged) always
     * reads in order.
     */
    public Builder connectionsPerObject(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("connections per object must be between 1 and 64");
      }
      this.connectionsPerObject = n;
      return this;
    }

    /** Refuses a model of more than {@code bytes} in total or more than {@code objects} objects. */
    public Builder limits(long bytes, int objects) {
      if (bytes < 1 || objects < 1) {
        throw new IllegalArgumentException("limits must be positive");
      }
      this.maxTotalBytes = bytes;
      this.maxObjects = objects;
      return this;
    }

    /** The options. */
    public S3Options build() {
      return new S3Options(this);
    }

    private static Duration positive(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
      return d;
    }
  }

  URI endpoint() {
    return endpoint;
  }

  HashProgress progress() {
    return progress;
  }

  RetryListener retryListener() {
    return retryListener;
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

  int connectionsPerObject() {
    return connectionsPerObject;
  }

  long maxTotalBytes() {
    return maxTotalBytes;
  }

  int maxObjects() {
    return maxObjects;
  }
}
