package dev.modelseal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast paths of {@link Fingerprinter} (tensors hashed straight from the file, in parallel, read
 * ahead) give the digests of the plain converting streams, and fail like them on a truncated file.
 */
class FingerprinterTest {
  private static final int BIG = 5 * 1024 * 1024; // float32 elements: 20 MiB, read ahead
  @TempDir Path dir;

  /** A safetensors file of {@code tensors} (name -> dtype code, shape, data), data in order. */
  private Path safetensors(String file, Map<String, Object[]> tensors) throws Exception {
    StringBuilder h = new StringBuilder("{");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, Object[]> e : tensors.entrySet()) {
      byte[] d = (byte[]) e.getValue()[2];
      if (h.length() > 1) {
        h.append(',');
      }
      h.append('"').append(e.getKey()).append("\":{\"dtype\":\"").append(e.getValue()[0]);
      h.append("\",\"shape\":").append(e.getValue()[1]);
      h.append(",\"data_offsets\":[").append(data.size()).append(',');
      data.write(d);
      h.append(data.size()).append("]}");
    }
    h.append('}');
    while (h.length() % 8 != 0) {
      h.append(' ');
    }
    byte[] hb = h.toString().getBytes(StandardCharsets.UTF_8);
    Path p = dir.resolve(file);
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(len.array());
    all.write(hb);
    data.writeTo(all);
    Files.write(p, all.toByteArray());
    return p;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Path model() throws Exception {
    Map<String, Object[]> t = new LinkedHashMap<>();
    t.put("big", new Object[] {"F32", "[" + BIG + "]", random(BIG * 4, 1)});
    t.put("mid", new Object[] {"U8", "[3,100001]", random(300003, 2)});
    t.put("flags", new Object[] {"BOOL", "[3]", new byte[] {0, 1, 1}});
    t.put("scalar", new Object[] {"F16", "[]", new byte[] {0, 0x3C}});
    t.put("empty", new Object[] {"F32", "[0,4]", new byte[0]});
    return safetensors("m.safetensors", t);
  }

  /** The same sources without their stored regions: every byte through {@link TensorStream}s. */
  private static TensorModel streamsOnly(TensorModel m) throws Exception {
    List<TensorSource> plain = new ArrayList<>();
    for (TensorSource s : m.tensors()) {
      plain.add(
          new TensorSource() {
            @Override
            public TensorInfo info() {
              return s.info();
            }

            @Override
            public TensorStream open() throws dev.modelseal.ModelsealException {
              return s.open();
            }
          });
    }
    return TensorModel.of(m.path(), m.format(), plain, Map.of(), List.of());
  }

  @Test
  void storedRegions_onlyForBytesNeedingNoConversion() throws Exception {
    try (TensorModel m = FormatDetector.create().open(model())) {
      for (TensorSource s : m.tensors()) {
        boolean bool = s.info().dtype().equals(DType.BOOL);
        assertThat(s.storedRegion().isPresent()).as(s.info().name()).isEqualTo(!bool);
        s.storedRegion().ifPresent(r -> assertThat(r.length()).isEqualTo(s.info().byteLength()));
      }
    }
  }

  @Test
  void fastPaths_equalTheConvertingStreams() throws Exception {
    Path p = model();
    Fingerprint plain;
    try (TensorModel m = FormatDetector.create().open(p)) {
      plain = Fingerprinter.create().threads(1).fingerprint(streamsOnly(m));
    }
    assertThat(plain.tensors()).hasSize(5);
    for (int threads : new int[] {1, 2, 3, 8}) {
      Fingerprint f = Fingerprinter.create().threads(threads).fingerprint(p);
      assertThat(f.tensors().stream().map(TensorFingerprint::toString))
          .as("threads " + threads)
          .containsExactlyElementsOf(
              plain.tensors().stream().map(TensorFingerprint::toString).toList());
      assertThat(f.weights()).isEqualTo(plain.weights());
      assertThat(f.content()).isEqualTo(plain.content());
    }
  }

  @Test
  void readAhead_oneLargeTensor_isTheDocumentedDigest() throws Exception {
    byte[] data = random(BIG * 4, 3);
    Map<String, Object[]> t = new LinkedHashMap<>();
    t.put("w", new Object[] {"F32", "[1024," + (BIG / 1024) + "]", data});
    Path p = safetensors("one.safetensors", t);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    Fingerprint.putString(md, Fingerprint.TENSOR_TAG);
    Fingerprint.putString(md, "float32");
    Fingerprint.putU64(md, 2);
    Fingerprint.putU64(md, 1024);
    Fingerprint.putU64(md, BIG / 1024);
    Fingerprint.putU64(md, data.length);
    md.update(data);
    byte[] want = md.digest();
    for (int threads : new int[] {1, 2}) {
      Fingerprint f = Fingerprinter.create().threads(threads).fingerprint(p);
      assertThat(f.tensors().get(0).digest().bytes()).as("threads " + threads).isEqualTo(want);
    }
  }

  @Test
  void fileTruncatedAfterOpening_isMalformed_onEveryPath() throws Exception {
    for (int threads : new int[] {1, 2}) {
      Path p = model();
      try (TensorModel m = FormatDetector.create().open(p)) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
          ch.truncate(ch.size() - 100);
        }
        assertThatThrownBy(() -> Fingerprinter.create().threads(threads).fingerprint(m))
            .isInstanceOf(MalformedModelException.class)
            .hasMessageContaining("file ends inside tensor data");
      }
      Files.delete(p);
    }
  }

  @Test
  void oneTensorTruncated_readAhead_isMalformed() throws Exception {
    Map<String, Object[]> t = new LinkedHashMap<>();
    t.put("w", new Object[] {"F32", "[" + BIG + "]", random(BIG * 4, 4)});
    Path p = safetensors("one.safetensors", t);
    try (TensorModel m = FormatDetector.create().open(p)) {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.truncate(ch.size() - 1);
      }
      assertThatThrownBy(() -> Fingerprinter.create().threads(2).fingerprint(m))
          .isInstanceOf(MalformedModelException.class)
          .hasMessageContaining("file ends inside tensor data");
    }
  }
}
