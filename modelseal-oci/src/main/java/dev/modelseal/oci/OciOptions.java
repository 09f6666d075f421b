package dev.modelseal.oci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link OciModelSource} talks to a registry: HTTPS unless {@link #plainHttp} is asked for,
 * timeouts, bounded retries, parallel blobs and the limits on what a registry may send. Immutable;
 * each {@code with}-style method returns a copy.
 *
 * <p>Credentials: the file named by {@link #authFile} if set, else {@code REGISTRY_AUTH_FILE}, else
 * {@code ~/.docker/config.json} ({@code auths.<registry>.auth}, base64 {@code user:password}).
 */
public final class OciOptions {
  /** The largest manifest, index or referrer list read: 4 MiB. */
  public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private final boolean plainHttp;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int attempts;
  private final int parallelism;
  private final long maxTotalBytes;
  private final int maxFiles;
  private final Path authFile;
  private final int connections;
  private final long partSize;

  private OciOptions(
      boolean plainHttp,
      Duration connectTimeout,
      Duration readTimeout,
      int attempts,
      int parallelism,
      long maxTotalBytes,
      int maxFiles,
      Path authFile,
      int connections,
      long partSize) {
    this.connections = connections;
    this.partSize = partSize;
    this.plainHttp = plainHttp;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.attempts = attempts;
    this.parallelism = parallelism;
    this.maxTotalBytes = maxTotalBytes;
    this.maxFiles = maxFiles;
    this.authFile = authFile;
  }

  /**
   * HTTPS, 10 s connect and 30 s read timeouts, 4 attempts, 4 blobs at once, at most 1 TiB and
   * 100,000 files.
   */
  public static OciOptions defaults() {
    return new OciOptions(
        false,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        4,
        4,
        1L << 40,
        100_000,
        null,
        4,
        32L << 20);
  }

  /** Plain HTTP instead of HTTPS (a registry on a trusted local network; never the default). */
  public OciOptions plainHttp(boolean on) {
    return new OciOptions(
        on,
        connectTimeout,
        readTimeout,
        attempts,
        parallelism,
        maxTotalBytes,
        maxFiles,
        authFile,
        connections,
        partSize);
  }

  /** Connect timeout, and the longest wait for the next byte of a response. */
  public OciOptions timeouts(Duration connect, Duration read) {
    return new OciOptions(
        plainHttp,
        positive(connect, "connect timeout"),
        positive(read, "read timeout"),
        attempts,
        parallelism,
        maxTotalBytes,
        maxFiles,
        authFile,
        connections,
        partSize);
  }

  /** Attempts per request (1 to 20), resuming a blob from the last byte received. */
  public OciOptions attempts(int n) {
    if (n < 1 || n > 20) {
      throw new IllegalArgumentException("attempts must be 1 to 20");
    }
    return new OciOptions(
        plainHttp,
        connectTimeout,
        readTimeout,
        n,
        parallelism,
        maxTotalBytes,
        maxFiles,
        authFile,
        connections,
        partSize);
  }

  /** Blobs downloaded at once (1 to 64). */
  public OciOptions parallelism(int n) {
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("parallelism must be 1 to 64");
    }
    return new OciOptions(
        plainHttp,
        connectTimeout,
        readTimeout,
        attempts,
        n,
        maxTotalBytes,
        maxFiles,
        authFile,
        connections,
        partSize);
  }

  /** The largest model (bytes, blobs and unpacked tar entries) and the most files accepted. */
  public OciOptions limits(long totalBytes, int files) {
    if (totalBytes < 1 || files < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    return new OciOptions(
        plainHttp,
        connectTimeout,
        readTimeout,
        attempts,
        parallelism,
        totalBytes,
        files,
        authFile,
        connections,
        partSize);
  }

  /** Reads credentials from {@code file} (docker {@code config.json} format) instead. */
  public OciOptions authFile(Path file) {
    return new OciOptions(
        plainHttp,
        connectTimeout,
        readTimeout,
        attempts,
        parallelism,
        maxTotalBytes,
        maxFiles,
        file,
        connections,
        partSize);
  }

  /**
   * A raw layer of at least two parts of {@code partSize} bytes (at least 1 MiB) is fetched over
   * {@code connections} connections (1 to 64) at once: ranged requests stored at their positions in
   * the staged file while it is hashed in order ({@link dev.modelseal.source.RangedFetch}); 1
   * fetches it in one request. Tar layers and checks in place (nothing staged) read in order.
   * Default: 4 connections, 32 MiB parts.
   */
  public OciOptions connectionsPerBlob(int connections, long partSize) {
    if (connections < 1 || connections > 64) {
      throw new IllegalArgumentException("connections must be 1 to 64");
    }
    if (partSize < (1L << 20)) {
      throw new IllegalArgumentException("the part size must be at least 1 MiB");
    }
    return new OciOptions(
        plainHttp,
        connectTimeout,
        readTimeout,
        attempts,
        parallelism,
        maxTotalBytes,
        maxFiles,
        authFile,
        connections,
        partSize);
  }

  /** Connections for one large raw layer ({@link #connectionsPerBlob}). */
  public int connectionsPerBlob() {
    return connections;
  }

  /** Bytes per ranged request of a layer fetched over several connections. */
  public long partSize() {
    return partSize;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return d;
  }

  /** True for plain HTTP. */
  public boolean plainHttp() {
    return plainHttp;
  }

  /** The connect timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The read timeout. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Attempts per request. */
  public int attempts() {
    return attempts;
  }

  /** Blobs at once. */
  public int parallelism() {
    return parallelism;
  }

  /** The largest model in bytes. */
  public long maxTotalBytes() {
    return maxTotalBytes;
  }

  /** The most files. */
  public int maxFiles() {
    return maxFiles;
  }

  /** The credentials file, or null for the environment's. */
  public Path authFile() {
    return authFile;
  }
}
