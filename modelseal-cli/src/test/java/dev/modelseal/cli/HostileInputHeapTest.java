package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: {@code fingerprint}, {@code scan}, {@code hash} and {@code diff} in a forked JVM with a
 * 64 MiB heap over the formats fuzz seeds and hostile samples (GGUF keys of 1.5 MiB and 64 MiB, a
 * 65,535-byte key with a bad type, 48 MB safetensors headers — one metadata string, 800,000
 * tensors, one name, a 24-million-dimension shape —, a 48 MB sharded index and TF.js model.json, a
 * deep pickle): never an {@code OutOfMemoryError}, exit 0 or 2 ({@code scan}: 0, 1 or 2), each
 * hostile sample read or refused by {@code fingerprint} and {@code diff} as listed, every
 * standard-error line under 300 bytes.
 */
class HostileInputHeapTest {
  @TempDir Path dir;

  private static byte[] le(int n, long v) {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    if (n == 4) {
      b.putInt((int) v);
    } else {
      b.putLong(v);
    }
    return b.array();
  }

  /**
   * A GGUF v3 with no tensors and one key of {@code keyBytes} 'A's whose value type is {@code
   * type}.
   */
  private Path gguf(String name, int keyBytes, int type) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream o = Files.newOutputStream(p)) {
      o.write("GGUF".getBytes(StandardCharsets.US_ASCII));
      o.write(le(4, 3));
      o.write(le(8, 0));
      o.write(le(8, 1));
      o.write(le(8, keyBytes));
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) 'A');
      for (int left = keyBytes; left > 0; left -= chunk.length) {
        o.write(chunk, 0, Math.min(left, chunk.length));
      }
      o.write(le(4, type));
      o.write(le(8, 1));
      o.write('x');
    }
    return p;
  }

  /** A safetensors file: the u64 length of {@code header}, the header, {@code data} zero bytes. */
  private Path safetensors(String name, Consumer<Writer> header, int data) throws IOException {
    Path p = dir.resolve(name);
    Path h = dir.resolve(name + ".header");
    try (Writer w = Files.newBufferedWriter(h, StandardCharsets.UTF_8)) {
      header.accept(w);
    }
    try (OutputStream o = Files.newOutputStream(p)) {
      o.write(le(8, Files.size(h)));
      Files.copy(h, o);
      o.write(new byte[data]);
    }
    Files.delete(h);
    return p;
  }

  private static void repeat(Writer w, String s, long times) {
    try {
      for (long i = 0; i < times; i++) {
        w.write(s);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void write(Writer w, String s) {
    repeat(w, s, 1);
  }

  /** 48 MB safetensors headers, a 48 MB index and 48 MB TF.js manifests: shapes of a big header. */
  private void bigHeaders(Map<Path, String> out) throws IOException {
    // One __metadata__ string of 48,000,000 bytes beside one tensor: read (the string not kept).
    out.put(
        safetensors(
            "meta-48MB.safetensors",
            w -> {
              write(w, "{\"__metadata__\":{\"k\":\"");
              repeat(w, "A", 48_000_000);
              write(w, "\"},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
            },
            4),
        "0");
    // 800,000 tensors: more than a quarter of a 64 MiB heap holds, refused with the counts.
    out.put(
        safetensors(
            "tensors-800k.safetensors",
            w -> {
              write(w, "{");
              for (int i = 0; i < 800_000; i++) {
                write(
                    w,
                    (i > 0 ? "," : "")
                        + String.format("\"t%07d\"", i)
                        + ":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
              }
              write(w, "}");
            },
            0),
        "2");
    // One tensor name of 48,000,000 bytes: over the name limit.
    out.put(
        safetensors(
            "name-48MB.safetensors",
            w -> {
              write(w, "{\"");
              repeat(w, "N", 48_000_000);
              write(w, "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
            },
            4),
        "2");
    // A shape of 24,000,000 dimensions: over the rank limit.
    out.put(
        safetensors(
            "rank-24M.safetensors",
            w -> {
              write(w, "{\"t\":{\"dtype\":\"F32\",\"shape\":[1");
              repeat(w, ",1", 24_000_000 - 1);
              write(w, "],\"data_offsets\":[0,4]}}");
            },
            4),
        "2");
    // A sharded model whose index holds a 48 MB metadata string: read.
    Path sharded = Files.createDirectories(dir.resolve("sharded-48MB"));
    try (Writer w =
        Files.newBufferedWriter(
            sharded.resolve("model.safetensors.index.json"), StandardCharsets.UTF_8)) {
      write(w, "{\"metadata\":{\"note\":\"");
      repeat(w, "A", 48_000_000);
      write(w, "\"},\"weight_map\":{\"t\":\"s.safetensors\"}}");
    }
    Files.move(
        safetensors(
            "s.safetensors",
            w -> write(w, "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"),
            4),
        sharded.resolve("s.safetensors"));
    out.put(sharded, "0");
    // A TF.js model.json with a 48 MB topology string: read (the topology skipped).
    Path tfjs = Files.createDirectories(dir.resolve("tfjs-48MB"));
    try (Writer w = Files.newBufferedWriter(tfjs.resolve("model.json"), StandardCharsets.UTF_8)) {
      write(w, "{\"format\":\"layers-model\",\"modelTopology\":{\"x\":\"");
      repeat(w, "A", 48_000_000);
      write(
          w,
          "\"},\"weightsManifest\":[{\"paths\":[\"w.bin\"],\"weights\":"
              + "[{\"name\":\"w\",\"shape\":[1],\"dtype\":\"float32\"}]}]}");
    }
    Files.write(tfjs.resolve("w.bin"), new byte[4]);
    out.put(tfjs.resolve("model.json"), "0");
  }

  /** Each hostile sample and the exit code {@code fingerprint} must give it. */
  private Map<Path, String> hostile() throws IOException {
    Map<Path, String> out = new LinkedHashMap<>();
    out.put(gguf("key-1.5MiB.gguf", 1_572_864, 8), "2");
    out.put(gguf("key-64MiB.gguf", 64 << 20, 8), "2");
    out.put(gguf("key-65535-badtype.gguf", 65_535, 99), "2");
    bigHeaders(out);
    // A pickle nesting 200,000 lists (EMPTY_LIST, then APPEND of each into the one before).
    Path deep = dir.resolve("deep.pkl");
    byte[] pk = new byte[2 + 200_000 + 200_000 + 1];
    pk[0] = (byte) 0x80;
    pk[1] = 2;
    for (int i = 0; i < 200_000; i++) {
      pk[2 + i] = ']';
      pk[2 + 200_000 + i] = 'a';
    }
    pk[pk.length - 1] = '.';
    Files.write(deep, pk);
    out.put(deep, "2");
    return out;
  }

  @Test
  void fuzzSeedsAndHostileSamples_64MiBHeap_noOutOfMemory_shortErrors() throws Exception {
    List<String> files = new ArrayList<>();
    Map<Path, String> hostile = hostile();
    Map<String, String> fingerprintExit = new HashMap<>();
    for (Map.Entry<Path, String> e : hostile.entrySet()) {
      files.add(e.getKey().toString());
      fingerprintExit.put(e.getKey().toString(), e.getValue());
    }
    Path seeds = Path.of("../modelseal-formats/src/test/resources/dev/modelseal/formats");
    assertThat(seeds).isDirectory();
    try (Stream<Path> s = Files.walk(seeds)) {
      s.filter(Files::isRegularFile).sorted().forEach(p -> files.add(p.toString()));
    }
    assertThat(files.size()).isGreaterThan(30);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx64m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HeapDriver.class.getName());
    cmd.addAll(files);
    Path out = Files.createTempFile(dir, "driver", ".out");
    Path err = Files.createTempFile(dir, "driver", ".err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(8, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the driver did not finish");
    }
    assertThat(Files.readString(err)).doesNotContain("OutOfMemoryError");
    assertThat(p.exitValue()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(HeapDriver.COMMANDS.length * files.size());
    List<String> bad = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split("\t", 4);
      boolean scan = f[0].equals("scan");
      boolean codeOk = scan ? f[1].matches("[012]") : f[1].equals("0") || f[1].equals("2");
      if (!codeOk || Integer.parseInt(f[2]) >= 300) {
        bad.add(line);
      }
    }
    for (String line : lines) {
      String[] f = line.split("\t", 4);
      String want = fingerprintExit.get(f[3]);
      boolean reader = f[0].equals("fingerprint") || f[0].equals("diff");
      if (want != null && reader && !f[1].equals(want)) {
        // Each hostile sample is read (0) or refused (2) by fingerprint and diff as listed.
        bad.add("exit " + f[1] + " where " + want + " was expected: " + line);
      }
    }
    assertThat(bad).isEmpty();
  }
}
