package dev.modelseal.s3;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.pin.StagedCopy;
import dev.modelseal.pin.StagedCopy.StagedFile;
import dev.modelseal.source.RangedFetch;
import dev.modelseal.walk.ResourceNames;
import dev.modelseal.walk.WalkOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Listing and downloading with bounded, resuming retries. Each object is read once straight into
 * its {@link StagedFile}: a large object as ranged GETs over several connections at once, stored at
 * their positions and hashed in order ({@link RangedFetch}), else (or when nothing is staged) in
 * order, each buffer hashed and stored; objects are fetched in parallel on a bounded pool.
 */
final class Transfers {
  private static final int BUFFER = 64 * 1024;

  private final S3Client s3;
  private final S3Options options;

  Transfers(S3Client s3, S3Options options) {
    this.s3 = s3;
    this.options = options;
  }

  /** One object to fetch. */
  record Entry(String key, String name, long size, String etag)
      implements dev.modelseal.source.RemoteResource {}

  /** Lists the objects under {@code model}, mapped to resource names, exclusions applied. */
  List<Entry> list(S3Uri model, WalkOptions walk) throws ModelsealException {
    String prefix = model.listingPrefix();
    List<Entry> out = new ArrayList<>();
    long total = 0;
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListObjectsV2Request req =
          ListObjectsV2Request.builder()
              .bucket(model.bucket())
              .prefix(prefix)
              .continuationToken(t)
              .build();
      ListObjectsV2Response page =
          withRetries(model.toString(), "listing failed", () -> s3.listObjectsV2(req));
      if (++pages > options.maxObjects() / 100 + 1000) {
        throw new S3TransferException(model.toString(), "listing does not end", null);
      }
      for (S3Object o : page.contents()) {
        String uri = S3Uri.objectUri(model.bucket(), o.key());
        if (!o.key().startsWith(prefix)) {
          throw new S3TransferException(uri, "listed outside the prefix " + prefix, null);
        }
        String rel = o.key().substring(prefix.length());
        long size = o.size() == null ? -1 : o.size();
        if (size < 0) {
          throw new S3TransferException(uri, "listed without a size", null);
        }
        if (rel.endsWith("/") && size == 0) {
          continue; // a "folder" marker made by consoles: no content
        }
        String bad = ResourceNames.check(rel);
        if (bad != null) {
          throw new S3TransferException(uri, "refused key: " + bad, null);
        }
        if (walk.isIgnored(rel) || !walk.admits(rel, false)) {
          continue;
        }
        if (out.size() >= options.maxObjects()) {
          throw new S3TransferException(
              model.toString(), "more than " + options.maxObjects() + " objects", null);
        }
        total += size;
        if (total > options.maxTotalBytes() || total < 0) {
          throw new S3TransferException(
              uri, "model larger than the limit of " + options.maxTotalBytes() + " bytes", null);
        }
        out.add(new Entry(o.key(), rel, size, o.eTag()));
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    if (out.isEmpty()) {
      throw new S3TransferException(model.toString(), "no objects under this prefix", null);
    }
    requireNoFileDirectoryClash(model, out);
    return out;
  }

  /** Refuses keys {@code a} and {@code a/b} together: a file cannot also be a directory. */
  static void requireNoFileDirectoryClash(S3Uri model, List<Entry> entries)
      throws S3TransferException {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Entry e : entries) {
      names.add(e.name());
    }
    for (Entry e : entries) {
      for (int i = e.name().indexOf('/'); i > 0; i = e.name().indexOf('/', i + 1)) {
        String parent = e.name().substring(0, i);
        if (names.contains(parent)) {
          throw new S3TransferException(
              S3Uri.objectUri(model.bucket(), model.listingPrefix() + parent),
              "is both an object and the folder of " + e.name(),
              null);
        }
      }
    }
  }

  /** Downloads every entry into {@code copy}; returns the bytes fetched. */
  long download(S3Uri model, List<Entry> entries, StagedCopy copy) throws ModelsealException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::size).reversed());
    AtomicBoolean abort = new AtomicBoolean();
    int n = Math.min(options.parallelism(), sorted.size());
    long total = 0;
    int large = 0;
    for (Entry e : sorted) {
      total += e.size();
      if (e.size() >= options.rangedThreshold()) {
        large++;
      }
    }
    int perObject =
        RangedFetch.connectionsPerObject(
            options.connectionsPerObject(), options.parallelism(), large);
    HashProgress progress = options.progress();
    progress.start(total);
    try {
      return download(model, sorted, copy, abort, n, total, perObject);
    } finally {
      progress.finish();
    }
  }

  private long download(
      S3Uri model,
      List<Entry> sorted,
      StagedCopy copy,
      AtomicBoolean abort,
      int n,
      long total,
      int perObject)
      throws ModelsealException {
    if (n == 1) {
      for (Entry e : sorted) {
        fetch(model.bucket(), e, copy, abort, perObject);
      }
      return total;
    }
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "modelseal-s3-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Entry e : sorted) {
        futures.add(
            pool.submit(
                () -> {
                  if (!abort.get()) {
                    try {
                      fetch(model.bucket(), e, copy, abort, perObject);
                    } catch (ModelsealException | RuntimeException ex) {
                      abort.set(true);
                      throw ex;
                    }
                  }
                  return null;
                }));
      }
      ModelsealException first = null;
      for (Future<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException ex) {
          Throwable c = ex.getCause();
          if (first == null) {
            if (c instanceof ModelsealException m) {
              first = m;
            } else if (c instanceof RuntimeException r) {
              throw r;
            } else {
              throw new IllegalStateException(c);
            }
          }
        } catch (InterruptedException ex) {
          abort.set(true);
          Thread.currentThread().interrupt();
          throw new S3TransferException(model.toString(), "interrupted", ex);
        }
      }
      if (first != null) {
        throw first;
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Fetches one object in order, resuming from the last byte received after a failure. */
  private void fetch(String bucket, Entry e, StagedCopy copy, AtomicBoolean abort, int perObject)
      throws ModelsealException {
    String uri = S3Uri.objectUri(bucket, e.key());
    StagedFile f = copy.newFile(e.name(), e.size());
    boolean ranged = e.size() >= options.rangedThreshold();
    if (ranged && perObject > 1 && f.positional()) {
      fetchParallel(bucket, e, f, uri, abort, perObject);
      f.finish();
      return;
    }
    byte[] buf = new byte[BUFFER];
    int failures = 0;
    while (f.position() < e.size()) {
      if (abort.get()) {
        throw new S3TransferException(uri, "cancelled: another object failed", null);
      }
      long start = f.position();
      long end =
          ranged
              ? Math.min(e.size(), (start / options.partSize() + 1) * options.partSize())
              : e.size();
      GetObjectRequest.Builder rb = GetObjectRequest.builder().bucket(bucket).key(e.key());
      if (ranged || start > 0) {
        rb.range("bytes=" + start + "-" + (end - 1));
      }
      if (e.etag() != null) {
        rb.ifMatch(e.etag());
      }
      try (ResponseInputStream<GetObjectResponse> in = s3.getObject(rb.build())) {
        Long len = in.response().contentLength();
        if (len != null && len != end - start) {
          throw new S3TransferException(
              uri,
              "changed since it was listed: "
                  + (ranged || start > 0 ? "range of " : "size ")
                  + len
                  + " bytes, expected "
                  + (end - start),
              null);
        }
        copyRange(in, f, end, buf, abort, uri);
        failures = 0;
      } catch (S3Exception ex) {
        refusePermanent(uri, ex);
        failures = retryOrFail(uri, failures, "HTTP " + ex.statusCode(), ex);
      } catch (SdkClientException ex) {
        requireCredentials(uri, ex);
        failures = retryOrFail(uri, failures, describe(ex), ex);
      } catch (IOException | UncheckedIOException ex) {
        failures = retryOrFail(uri, failures, describe(ex), ex);
      }
    }
    f.finish();
  }

  /**
   * Fetches a large object over {@link S3Options#connectionsPerObject} connections (ranged parts
   * stored at their positions, hashed in order by the calling thread); same status handling and
   * bounded retries per part as the in-order path.
   */
  private void fetchParallel(
      String bucket, Entry e, StagedFile f, String uri, AtomicBoolean abort, int connections)
      throws ModelsealException {
    RangedFetch fetch = new RangedFetch(connections, options.partSize());
    fetch.fetch(
        f,
        (start, end) -> openRange(bucket, e, uri, start, end),
        (failures, reason, cause) -> retryOrFail(uri, failures, reason, cause),
        abort,
        () -> new S3TransferException(uri, "cancelled: another object failed", null),
        n -> options.progress().advance(n));
  }

  /**
   * Throws for a status that retrying cannot change: 412 (the object was replaced: its ETag
   * changed), 404 (it disappeared), and any other 4xx but 408 and 429; returns for the rest.
   */
  private static void refusePermanent(String uri, S3Exception ex) throws S3TransferException {
    int status = ex.statusCode();
    if (status == 412) {
      throw new S3TransferException(uri, "replaced while it was downloaded (ETag changed)", ex);
    }
    if (status == 404) {
      throw new S3TransferException(uri, "disappeared while the model was downloaded", ex);
    }
    if (status < 500 && status != 429 && status != 408) {
      throw new S3TransferException(uri, "refused by the store: HTTP " + status, ex);
    }
  }

  /** One ranged GET; transient failures as {@link IOException}, permanent ones thrown as such. */
  private InputStream openRange(String bucket, Entry e, String uri, long start, long end)
      throws IOException, ModelsealException {
    GetObjectRequest.Builder rb =
        GetObjectRequest.builder()
            .bucket(bucket)
            .key(e.key())
            .range("bytes=" + start + "-" + (end - 1));
    if (e.etag() != null) {
      rb.ifMatch(e.etag());
    }
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(rb.build());
    } catch (S3Exception ex) {
      refusePermanent(uri, ex);
      throw new IOException("HTTP " + ex.statusCode(), ex);
    } catch (SdkClientException ex) {
      requireCredentials(uri, ex);
      throw new IOException(describe(ex), ex);
    } catch (UncheckedIOException ex) {
      throw ex.getCause();
    }
    Long len = in.response().contentLength();
    if (len != null && len != end - start) {
      in.abort();
      throw new S3TransferException(
          uri,
          "changed since it was listed: range of " + len + " bytes, expected " + (end - start),
          null);
    }
    return in;
  }

  private void copyRange(
      InputStream in, StagedFile f, long end, byte[] buf, AtomicBoolean abort, String uri)
      throws IOException, ModelsealException {
    while (f.position() < end) {
      if (abort.get()) {
        throw new S3TransferException(uri, "cancelled: another object failed", null);
      }
      int want = (int) Math.min(buf.length, end - f.position());
      int n = in.read(buf, 0, want);
      if (n < 0) {
        throw new IOException(
            "connection closed after " + f.position() + " bytes, expected " + end);
      }
      f.write(buf, 0, n);
      options.progress().advance(n);
    }
  }

  /** Reads one small object whole, refusing more than {@code maxBytes}. */
  byte[] readSmall(String bucket, String key, int maxBytes) throws ModelsealException {
    String uri = S3Uri.objectUri(bucket, key);
    return withRetries(
        uri,
        "cannot read",
        () -> {
          GetObjectRequest req = GetObjectRequest.builder().bucket(bucket).key(key).build();
          try (ResponseInputStream<GetObjectResponse> in = s3.getObject(req)) {
            Long len = in.response().contentLength();
            if (len != null && len > maxBytes) {
              throw new LimitException("larger than the limit of " + maxBytes + " bytes");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            int total = 0;
            for (int n; (n = in.read(b)) >= 0; ) {
              total += n;
              if (total > maxBytes) {
                throw new LimitException("larger than the limit of " + maxBytes + " bytes");
              }
              out.write(b, 0, n);
            }
            return out.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** A limit was exceeded: never retried. */
  private static final class LimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitException(String m) {
      super(m, null, false, false);
    }
  }

  private interface Call<T> {
    T run();
  }

  private <T> T withRetries(String uri, String what, Call<T> call) throws ModelsealException {
    int failures = 0;
    while (true) {
      try {
        return call.run();
      } catch (LimitException e) {
        throw new S3TransferException(uri, e.getMessage(), null);
      } catch (S3Exception e) {
        int status = e.statusCode();
        if (status == 404) {
          throw new S3TransferException(uri, "not found (HTTP 404)", e);
        }
        if (status < 500 && status != 429 && status != 408) {
          throw new S3TransferException(uri, what + ": HTTP " + status + " " + code(e), e);
        }
        failures = retryOrFail(uri, failures, "HTTP " + status, e);
      } catch (SdkClientException e) {
        requireCredentials(uri, e);
        failures = retryOrFail(uri, failures, describe(e), e);
      } catch (UncheckedIOException e) {
        failures = retryOrFail(uri, failures, describe(e), e);
      }
    }
  }

  /** Missing credentials are a configuration error: reported at once, in a few words. */
  private static void requireCredentials(String uri, SdkClientException e)
      throws S3TransferException {
    String m = e.getMessage();
    if (m != null && m.startsWith("Unable to load credentials")) {
      throw new S3TransferException(
          uri,
          "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE,"
              + " or a web identity or instance role)",
          e);
    }
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
        ? e.awsErrorDetails().errorCode()
        : "";
  }

  /** Sleeps before the next attempt, or throws once the attempts are used up. */
  private int retryOrFail(String uri, int failures, String reason, Exception cause)
      throws ModelsealException {
    int f = failures + 1;
    if (f >= options.maxAttempts()) {
      throw new S3TransferException(
          uri, "gave up after " + f + " attempt" + (f == 1 ? "" : "s") + ": " + reason, cause);
    }
    long base = options.backoff().toMillis() << Math.min(f - 1, 10);
    long sleep = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    options
        .retryListener()
        .retrying(uri, f, options.maxAttempts(), reason, Duration.ofMillis(sleep));
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new S3TransferException(uri, "interrupted", e);
    }
    return f;
  }

  private static String describe(Exception e) {
    Throwable t = e;
    if (t instanceof UncheckedIOException u) {
      t = u.getCause();
    }
    if (t instanceof SdkException && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (t instanceof java.net.SocketTimeoutException) {
      return "read timed out (stalled)";
    }
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
