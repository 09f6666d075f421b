package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import java.io.IOException;
import java.io.InputStream;

/**
 * Data files of TensorFlow's layouts that run nothing when loaded, recognised by content so that
 * they are neither unknown content nor silently passed over: a LevelDB-format table (a tensor
 * bundle index {@code variables.index} or {@code *.ckpt.index}, and a TF V1 checkpoint written by
 * the {@code TensorSliceWriter}), recognised by the table magic in its last 8 bytes; and a
 * SavedModel {@code fingerprint.pb} ({@code FingerprintDef}: five hashes and a version), recognised
 * when its whole content is exactly those fields. Both are listed as skipped with the reason. It
 * does not check the table's entries or checksums (the fingerprinting reader does), only that
 * loading it reads tensor metadata and no code.
 *
 * <p>A fallback rule: tried after every rule that inspects a format.
 */
public final class TensorFlowDataRule implements FormatRule {
  /** LevelDB table magic ({@code kTableMagicNumber}), little-endian in the last 8 bytes. */
  static final long TABLE_MAGIC = 0xdb4775248b80fb57L;

  /** A table's footer: two block handles padded to 40 bytes, then the magic. */
  static final int FOOTER = 48;

  @Override
  public String format() {
    return "tensorflow-data";
  }

  @Override
  public boolean fallback() {
    return true;
  }

  @Override
  public boolean claims(Content c) throws IOException {
    return fingerprint(c) || table(c);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    ctx.skipped(
        c,
        fingerprint(c)
            ? "SavedModel fingerprint (hashes only, runs nothing)"
            : "TensorFlow tensor bundle index or checkpoint table (tensor metadata, runs"
                + " nothing)");
  }

  private static boolean table(Content c) throws IOException {
    long size = c.size();
    if (size < FOOTER) {
      return false;
    }
    try (InputStream in = c.open()) {
      in.skipNBytes(size - 8);
      byte[] b = in.readNBytes(8);
      if (b.length != 8) {
        return false;
      }
      long magic = 0;
      for (int i = 7; i >= 0; i--) {
        magic = magic << 8 | (b[i] & 0xFF);
      }
      return magic == TABLE_MAGIC;
    }
  }

  /**
   * FingerprintDef (fingerprint.proto): fields 1-5 varint hashes, 6 a VersionDef (producer 1,
   * min_consumer 2, bad_consumers 3: varints), 7 a printable UUID of at most 64 characters; the
   * whole content is in the head.
   */
  private static boolean fingerprint(Content c) {
    int n = c.headLength();
    if (c.size() != n || n == 0 || n >= Content.HEAD_BYTES) {
      return false;
    }
    int[] pos = {0};
    boolean sawHash = false;
    while (pos[0] < n) {
      long tag = varint(c, pos, n);
      if (tag < 0) {
        return false;
      }
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == 0 && field >= 1 && field <= 5) {
        if (varint(c, pos, n) < 0) {
          return false;
        }
        sawHash = true;
      } else if (wire == 2 && field == 6) {
        long len = varint(c, pos, n);
        if (len < 0 || pos[0] + len > n) {
          return false;
        }
        int end = pos[0] + (int) len;
        while (pos[0] < end) {
          long t = varint(c, pos, end);
          if (t < 0 || (t & 7) != 0 || (t >>> 3) < 1 || (t >>> 3) > 3) {
            return false;
          }
          if (varint(c, pos, end) < 0) {
            return false;
          }
        }
      } else if (wire == 2 && field == 7) {
        long len = varint(c, pos, n);
        if (len < 0 || len > 64 || pos[0] + len > n) {
          return false;
        }
        for (int end = pos[0] + (int) len; pos[0] < end; pos[0]++) {
          int ch = c.headByte(pos[0]);
          if (ch < 0x20 || ch > 0x7E) {
            return false;
          }
        }
      } else {
        return false;
      }
    }
    return sawHash;
  }

  /** A varint at {@code pos[0]} before {@code end}, or -1. */
  private static long varint(Content c, int[] pos, int end) {
    long v = 0;
    for (int shift = 0; shift < 64 && pos[0] < end; shift += 7) {
      int b = c.headByte(pos[0]++);
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v < 0 ? Long.MAX_VALUE : v;
      }
    }
    return -1;
  }
}
