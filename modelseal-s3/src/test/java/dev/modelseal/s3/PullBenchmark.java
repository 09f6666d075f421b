package dev.modelseal.s3;

import dev.modelseal.pin.ModelPin;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Pull + verify vs a plain AWS SDK download of the same objects to disk, against a local s3proxy,
 * in one run (benchmarks/bench-s3.sh runs it). Both use the same SDK client configuration
 * (url-connection client, same timeouts, path style) and the same number of parallel downloads;
 * runs alternate and the medians are compared. Not a unit test: run by hand.
 *
 * <p>Arguments: {@code [sizeMiB] [runs] [workDir] [layout] [linkMiBps]}: layout {@code shards}
 * (four large objects and 12 small files, the default) or {@code single} (one object: the pull
 * fetches it over several connections, {@link dev.modelseal.source.RangedFetch}); {@code linkMiBps}
 * &gt; 0 puts both downloads behind the same relay limited to that rate (a network link shared by
 * all connections, as between a pod and its object store), 0 talks to s3proxy directly. The process
 * CPU time (user + system, all threads, server included) of each phase is printed beside its wall
 * time.
 */
public final class PullBenchmark {
  private PullBenchmark() {}

  public static void main(String[] args) throws Exception {
    long sizeMib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Path.of(args.length > 2 ? args[2] : "/tmp/modelseal-bench-s3");
    boolean single = args.length > 3 && args[3].equals("single");
    long linkMibps = args.length > 4 ? Long.parseLong(args[4]) : 0;
    deleteTree(work);
    Files.createDirectories(work);
    Path model = work.resolve("model");
    List<Long> sizes = single ? List.of(sizeMib << 20) : layout(sizeMib << 20);
    Random r = new Random(1);
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < sizes.size(); i++) {
      Path f = model.resolve(i < 4 ? "shard-" + i + ".bin" : "extra/file-" + i + ".json");
      Files.createDirectories(f.getParent());
      try (OutputStream o = Files.newOutputStream(f)) {
        for (long left = sizes.get(i); left > 0; left -= chunk.length) {
          r.nextBytes(chunk);
          o.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
      }
    }
    dev.modelseal.manifest.PinDigest root = S3ModelSourceTest.manifestOf(model).pin();
    try (TestServer server = TestServer.start(work.resolve("blobs"));
        LinkRelay link = linkMibps > 0 ? LinkRelay.start(server.endpoint, linkMibps << 20) : null) {
      server.createBucket("bench");
      try (Stream<Path> s = Files.walk(model)) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          String key = "models/m/" + model.relativize(f);
          server.admin.putObject(b -> b.bucket("bench").key(key), RequestBody.fromFile(f));
        }
      }
      deleteTree(model);
      java.net.URI endpoint = link != null ? link.endpoint() : server.endpoint;
      S3Options opts = S3Options.defaults().endpoint(endpoint).pathStyle(true);
      S3Uri uri = S3Uri.parse("s3://bench/models/m");
      ModelPin pin = ModelPin.of(root);
      System.out.printf(
          "model: %d objects, %d MiB; %d runs; parallelism 4; cores %d; %s%n",
          sizes.size(),
          sizeMib,
          runs,
          Runtime.getRuntime().availableProcessors(),
          linkMibps > 0 ? "link " + linkMibps + " MiB/s (relay)" : "loopback, no link limit");
      List<Double> plain = new ArrayList<>();
      List<Double> pulled = new ArrayList<>();
      List<Double> plainCpu = new ArrayList<>();
      List<Double> pulledCpu = new ArrayList<>();
      try (S3ModelSource source = S3ModelSource.create(opts);
          S3Client client = plainClient(endpoint)) {
        // warm-up of both paths (JIT, connections)
        plainDownload(client, work.resolve("plain"));
        source.pull(uri, pin, work.resolve("pulled"), true);
        for (int i = 0; i < runs; i++) {
          deleteTree(work.resolve("plain"));
          long c0 = cpuNanos();
          long t0 = System.nanoTime();
          plainDownload(client, work.resolve("plain"));
          plain.add((System.nanoTime() - t0) / 1e9);
          plainCpu.add((cpuNanos() - c0) / 1e9);
          deleteTree(work.resolve("pulled"));
          c0 = cpuNanos();
          t0 = System.nanoTime();
          source.pull(uri, pin, work.resolve("pulled"), false);
          pulled.add((System.nanoTime() - t0) / 1e9);
          pulledCpu.add((cpuNanos() - c0) / 1e9);
          System.out.printf(
              "run %d: plain SDK download %.3f s (CPU %.2f s), pull+verify %.3f s (CPU %.2f s)%n",
              i + 1, plain.get(i), plainCpu.get(i), pulled.get(i), pulledCpu.get(i));
        }
      }
      double p = median(plain);
      double v = median(pulled);
      System.out.printf(
          "median: plain %.3f s (%.0f MiB/s), pull+verify %.3f s (%.0f MiB/s), ratio %.3fx"
              + " (target <= 1.05x); CPU median plain %.2f s, pull+verify %.2f s%n",
          p, sizeMib / p, v, sizeMib / v, v / p, median(plainCpu), median(pulledCpu));
    }
    deleteTree(work);
  }

  /** Four large shards (ranged GETs) carrying most bytes, plus 12 small files. */
  private static List<Long> layout(long total) {
    List<Long> sizes = new ArrayList<>();
    long small = Math.min(total / 64, 64 * 1024);
    long rest = total - 12 * small;
    for (int i = 0; i < 4; i++) {
      sizes.add(i < 3 ? rest / 4 : rest - 3 * (rest / 4));
    }
    for (int i = 0; i < 12; i++) {
      sizes.add(small);
    }
    return sizes;
  }

  /** The same client settings as S3ModelSource's, used as a plain SDK would be. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static S3Client plainClient(java.net.URI endpoint) {
    return S3Client.builder()
        .httpClientBuilder(
            software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofSeconds(10))
                .socketTimeout(java.time.Duration.ofSeconds(30)))
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .endpointOverride(endpoint)
        .serviceConfiguration(
            software.amazon.awssdk.services.s3.S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .build())
        .requestChecksumCalculation(
            software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(
            software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private static void plainDownload(S3Client s3, Path dir) throws Exception {
    List<S3Object> objects = new ArrayList<>();
    for (var page : s3.listObjectsV2Paginator(b -> b.bucket("bench").prefix("models/m/"))) {
      objects.addAll(page.contents());
    }
    objects.sort(Comparator.comparingLong(S3Object::size).reversed());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (S3Object o : objects) {
        fs.add(
            pool.submit(
                () -> {
                  Path f = dir.resolve(o.key().substring("models/m/".length()));
                  Files.createDirectories(f.getParent());
                  s3.getObject(b -> b.bucket("bench").key(o.key()), ResponseTransformer.toFile(f));
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  static void deleteTree(Path d) throws IOException {
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
  }
}
