package dev.modelseal.scan.rules;

import dev.modelseal.scan.BoundedInputStream;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMAUtils;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZUtils;

/**
 * Compressed streams as joblib writes them (gzip, bzip2, xz, lzma): the decompressed stream is
 * routed again, at most {@link dev.modelseal.scan.ScanLimits#streamBytes()} of it (a decompression
 * bomb stops there with a {@code scan.limit} finding).
 */
public final class CompressedRule implements FormatRule {
  private enum Kind {
    GZIP,
    BZIP2,
    XZ,
    LZMA
  }

  @Override
  public String format() {
    return "compressed stream";
  }

  @Override
  public boolean claims(Content c) {
    return kind(c) != null;
  }

  private static Kind kind(Content c) {
    byte[] h = c.head();
    int n = c.headLength();
    if (n >= 3 && (h[0] & 0xFF) == 0x1F && (h[1] & 0xFF) == 0x8B && h[2] == 8) {
      return Kind.GZIP;
    }
    if (n >= 10
        && h[0] == 'B'
        && h[1] == 'Z'
        && h[2] == 'h'
        && h[3] >= '1'
        && h[3] <= '9'
        && (h[4] & 0xFF) == 0x31
        && (h[5] & 0xFF) == 0x41
        && (h[6] & 0xFF) == 0x59
        && (h[7] & 0xFF) == 0x26
        && (h[8] & 0xFF) == 0x53
        && (h[9] & 0xFF) == 0x59) {
      return Kind.BZIP2;
    }
    if (XZUtils.matches(h, n)) {
      return Kind.XZ;
    }
    if (n >= 13 && LZMAUtils.matches(h, n)) {
      return Kind.LZMA;
    }
    return null;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Kind kind = kind(c);
    String label = kind.name().toLowerCase(java.util.Locale.ROOT);
    long max = ctx.limits().streamBytes();
    ctx.scanNested(
        c,
        label + " stream",
        -1,
        () -> new BoundedInputStream(decompress(kind, c.open()), max, "decompressed " + label),
        Content.Role.ANY);
  }

  private static InputStream decompress(Kind kind, InputStream raw) throws IOException {
    try {
      return switch (kind) {
        case GZIP -> new GZIPInputStream(raw, 8192);
        case BZIP2 -> new BZip2CompressorInputStream(raw);
        case XZ -> new XZCompressorInputStream(raw);
        case LZMA -> new LZMACompressorInputStream(raw);
      };
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }
}
