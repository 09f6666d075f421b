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
 * Compressed streams as joblib writes them (gzip, bzip2, xz, lzma, zlib, and before 0.10 its own
 * zlib file: {@code ZF}, a padded hex length, a zlib stream): the decompressed stream is routed
 * again, at most {@link dev.modelseal.scan.ScanLimits#streamBytes()} of it (a decompression bomb
 * stops there with a {@code scan.limit} finding).
 */
public final class CompressedRule implements FormatRule {
  private enum Kind {
    GZIP,
    BZIP2,
    XZ,
    LZMA,
    /** A zlib stream: joblib 0.10 and later with {@code compress='zlib'} (and 0.10's default). */
    ZLIB,
    /** joblib < 0.10's compressed file: {@code ZF}, the hex length padded to 19, a zlib stream. */
    JOBLIB_ZFILE
  }

  /** {@code ZF} and the 19 characters of the padded hex length. */
  static final int ZFILE_HEADER = 2 + 19;

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
    if (isZfile(h, n)) {
      return Kind.JOBLIB_ZFILE;
    }
    // RFC 1950: CMF 0x78 (deflate, 32 KiB window), FLG without a preset dictionary, the 16-bit
    // header a multiple of 31
    if (n >= 2
        && (h[0] & 0xFF) == 0x78
        && (h[1] & 0x20) == 0
        && ((0x78 << 8) | (h[1] & 0xFF)) % 31 == 0) {
      return Kind.ZLIB;
    }
    return null;
  }

  /**
   * joblib's {@code write_zfile}: {@code ZF}, {@code hex(len)} ({@code 0x} and lowercase hex
   * digits) padded with spaces to 19 characters (joblib 0.8.4 on Python 2 wrote one more), then a
   * zlib stream (first byte 0x78).
   */
  private static boolean isZfile(byte[] h, int n) {
    if (n < ZFILE_HEADER + 2 || h[0] != 'Z' || h[1] != 'F' || h[2] != '0' || h[3] != 'x') {
      return false;
    }
    int i = 4;
    while (i < ZFILE_HEADER && isHex(h[i])) {
      i++;
    }
    if (i == 4) {
      return false;
    }
    while (i < ZFILE_HEADER && h[i] == ' ') {
      i++;
    }
    if (i != ZFILE_HEADER) {
      return false;
    }
    return h[zlibStart(h)] == 0x78;
  }

  private static int zlibStart(byte[] h) {
    return h[ZFILE_HEADER] == ' ' ? ZFILE_HEADER + 1 : ZFILE_HEADER;
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Kind kind = kind(c);
    // The main file of a compressed joblib < 0.10 dump holds a pickle, routed as one; the others
    // hold an array's raw bytes (read by ZNDArrayWrapper, never unpickled): not reported.
    boolean zfile = kind == Kind.JOBLIB_ZFILE;
    String label = zfile ? "joblib zlib" : kind.name().toLowerCase(java.util.Locale.ROOT);
    String bound = zfile ? "decompressed joblib file" : "decompressed " + label;
    int skip = zfile ? zlibStart(c.head()) : 0;
    long max = ctx.limits().streamBytes();
    ctx.scanNested(
        c,
        label + " stream",
        -1,
        () -> new BoundedInputStream(decompress(kind, c.open(), skip), max, bound),
        zfile ? Content.Role.TENSOR_DATA : Content.Role.ANY);
  }

  /** The decompressed stream of {@code raw}, after {@code skip} bytes of header. */
  private static InputStream decompress(Kind kind, InputStream raw, int skip) throws IOException {
    try {
      raw.skipNBytes(skip);
      return switch (kind) {
        case GZIP -> new GZIPInputStream(raw, 8192);
        case BZIP2 -> new BZip2CompressorInputStream(raw);
        case XZ -> new XZCompressorInputStream(raw);
        case LZMA -> new LZMACompressorInputStream(raw);
        case ZLIB, JOBLIB_ZFILE -> new java.util.zip.InflaterInputStream(raw);
      };
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }
}
