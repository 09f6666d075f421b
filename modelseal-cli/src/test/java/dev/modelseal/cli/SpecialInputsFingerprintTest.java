package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: {@code fingerprint} and {@code diff} (both sides) over a real FIFO (made with {@code
 * mkfifo}, nobody writing to it), a FIFO standing for a shard inside a model directory, and {@code
 * /proc/self/status} (size 0, content not empty): exit 2, one line naming the file and why, under
 * 300 bytes, nothing on standard output, never a hang.
 */
@Timeout(120)
class SpecialInputsFingerprintTest {
  @TempDir Path dir;
  Path fifo;
  Path model;

  @BeforeEach
  void setUp() throws Exception {
    fifo = dir.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    model = dir.resolve("m.safetensors");
    Files.write(
        model, safetensors("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1));
  }

  private static byte[] safetensors(String header, int data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + data)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length)
        .put(h)
        .array();
  }

  private static void refused(String reason, String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).endsWith("\n").contains(reason);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err().getBytes(StandardCharsets.UTF_8).length).isLessThan(300);
  }

  @Test
  void fifo_givenDirectly_refusedByFingerprintAndBothSidesOfDiff() {
    String why = fifo + ": not a regular file (FIFOs, sockets and devices are refused)";
    refused(why, "fingerprint", fifo.toString());
    CliRun json = CliRun.of("fingerprint", fifo.toString(), "--json");
    assertThat(json.code()).isEqualTo(2);
    assertThat(json.out()).contains("modelseal.dev/error/v1").contains("FIFOs");
    refused(why, "diff", fifo.toString(), model.toString());
    refused(why, "diff", model.toString(), fifo.toString());
  }

  @Test
  void fifo_asAShardOfAModelDirectory_refused() throws Exception {
    Path sharded = Files.createDirectories(dir.resolve("sharded"));
    Files.writeString(
        sharded.resolve("model.safetensors.index.json"),
        "{\"metadata\":{},\"weight_map\":{\"t\":\"s.safetensors\"}}");
    assertThat(
            new ProcessBuilder("mkfifo", sharded.resolve("s.safetensors").toString())
                .start()
                .waitFor())
        .isZero();
    refused("shard 's.safetensors' is not a regular file", "fingerprint", sharded.toString());
    refused(
        "shard 's.safetensors' is not a regular file",
        "diff",
        model.toString(),
        sharded.toString());
    Path tfjs = Files.createDirectories(dir.resolve("tfjs"));
    Files.writeString(
        tfjs.resolve("model.json"),
        "{\"weightsManifest\":[{\"paths\":[\"w.bin\"],"
            + "\"weights\":[{\"name\":\"w\",\"shape\":[1],\"dtype\":\"float32\"}]}]}");
    assertThat(new ProcessBuilder("mkfifo", tfjs.resolve("w.bin").toString()).start().waitFor())
        .isZero();
    refused(
        "shard path 'w.bin' is a link leaving the directory or not a file",
        "fingerprint",
        tfjs.toString());
  }

  @Test
  void procFile_whoseSizeIsZero_refusedNotReadAsEmpty() {
    Path status = Path.of("/proc/self/status");
    assertThat(status).as("procfs is mounted on this machine").isRegularFile();
    for (List<String> args :
        List.of(
            List.of("fingerprint", status.toString()),
            List.of("diff", status.toString(), model.toString()),
            List.of("diff", model.toString(), status.toString()))) {
      refused(
          status
              + ": has more bytes than its size of 0 (a /proc or /sys file, or a file being"
              + " written): refused",
          args.toArray(new String[0]));
    }
  }
}
