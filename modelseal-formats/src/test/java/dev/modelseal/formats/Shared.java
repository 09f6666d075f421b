package dev.modelseal.formats;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only shared vectors ({@code ../shared}), from the system property {@code
 * modelseal.shared}. Absent vectors skip a test, unless {@code modelseal.requireShared} is true:
 * then they fail it.
 */
public final class Shared {
  private Shared() {}

  /** The path of {@code relative} under the shared directory's {@code vectors/real}. */
  public static Path real(String relative) {
    String root = System.getProperty("modelseal.shared");
    boolean required = Boolean.parseBoolean(System.getProperty("modelseal.requireShared"));
    Path p = root == null ? null : Paths.get(root, "vectors", "real", relative);
    if (p == null || !Files.exists(p)) {
      if (required) {
        fail("shared vector missing: " + (p == null ? relative : p));
      }
      Assumptions.abort("shared vector missing: " + relative);
    }
    return p;
  }

  /** A fixture committed beside generate.py. */
  public static Path fixture(String name) {
    Path p = Paths.get("src", "test", "resources", "fixtures", name);
    if (!Files.exists(p)) {
      fail("fixture missing: " + p.toAbsolutePath());
    }
    return p;
  }

  /**
   * A copy of {@code zip} (no ZIP64 records) whose last central directory entry gets a one-byte
   * comment 0xFF, which is not valid UTF-8. Found by TorchFuzzTest#torchZip: the JDK checks member
   * names when it opens a zip but decodes comments only in {@code entries()}, and then threw an
   * unchecked IllegalArgumentException.
   */
  public static byte[] invalidUtf8ZipComment(byte[] zip) {
    int cen = last(zip, 1, 2);
    int eocd = last(zip, 5, 6);
    if (cen < 0 || eocd < 0) {
      fail("not a zip");
    }
    int n = u16(zip, cen + 28);
    int m = u16(zip, cen + 30);
    int k = u16(zip, cen + 32);
    int at = cen + 46 + n + m + k;
    byte[] b = new byte[zip.length + 1];
    System.arraycopy(zip, 0, b, 0, at);
    b[at] = (byte) 0xFF;
    System.arraycopy(zip, at, b, at + 1, zip.length - at);
    b[cen + 32] = (byte) (k + 1);
    b[cen + 33] = (byte) ((k + 1) >>> 8);
    int size = eocd + 1 + 12; // the central directory size, now one byte more
    int cd = u16(b, size) | (u16(b, size + 2) << 16);
    cd++;
    for (int i = 0; i < 4; i++) {
      b[size + i] = (byte) (cd >>> (8 * i));
    }
    return b;
  }

  private static int last(byte[] b, int c, int d) {
    int at = -1;
    for (int i = 0; i + 4 <= b.length; i++) {
      if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == c && b[i + 3] == d) {
        at = i;
      }
    }
    return at;
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
  }
}
