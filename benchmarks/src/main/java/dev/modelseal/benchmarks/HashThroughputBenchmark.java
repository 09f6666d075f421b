package dev.modelseal.benchmarks;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-JVM hashing throughput on the same data, warm: {@link ModelHasher} on one file, on a directory
 * of 8 files and on one file in shards, against the reference of a plain JDK SHA-256 loop reading
 * the file with {@code FileChannel}. Run through {@code benchmarks/bench.sh} or {@code java -jar
 * benchmarks/target/benchmarks.jar}; sizes with {@code -p sizeMiB=...}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HashThroughputBenchmark {
  @Param({"512"})
  public int sizeMiB;

  private Path dir;
  private Path file;
  private Path model;

  /** Writes one file of {@code sizeMiB} and a directory of 8 files of the same total. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("modelseal-jmh");
    file = dir.resolve("big.bin");
    model = Files.createDirectories(dir.resolve("model"));
    byte[] chunk = new byte[1 << 20];
    new Random(1).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < sizeMiB; i++) {
        chunk[0] = (byte) i;
        out.write(chunk);
      }
    }
    for (int f = 0; f < 8; f++) {
      try (OutputStream out = Files.newOutputStream(model.resolve("shard-" + f + ".bin"))) {
        for (int i = 0; i < sizeMiB / 8; i++) {
          chunk[1] = (byte) f;
          out.write(chunk);
        }
      }
    }
  }

  /** Removes the data. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Reference: one thread, JDK SHA-256 over 1 MiB reads. */
  @Benchmark
  public byte[] jdkSha256Loop() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    ByteBuffer bb = ByteBuffer.allocate(1 << 20);
    try (FileChannel ch = FileChannel.open(file)) {
      long pos = 0;
      int n;
      while ((n = ch.read(bb.clear(), pos)) > 0) {
        md.update(bb.array(), 0, n);
        pos += n;
      }
    }
    return md.digest();
  }

  /** modelseal, files method, one file. */
  @Benchmark
  public Manifest modelsealFile() throws ModelsealException {
    return hash(file, Serialization.defaults());
  }

  /** modelseal, files method, 8 files. */
  @Benchmark
  public Manifest modelsealDirectory() throws ModelsealException {
    return hash(model, Serialization.defaults());
  }

  /** modelseal, shards method (sizeMiB/8 per shard), one file. */
  @Benchmark
  public Manifest modelsealFileShards() throws ModelsealException {
    return hash(
        file,
        Serialization.shards(
            dev.modelseal.digest.HashAlgorithm.SHA256,
            (long) sizeMiB << 17,
            WalkOptions.defaults()));
  }

  private static Manifest hash(Path p, Serialization s) throws ModelsealException {
    ModelTree t = ModelWalker.with(s.walk()).walk(p);
    return ModelHasher.of(s).hash(t);
  }
}
