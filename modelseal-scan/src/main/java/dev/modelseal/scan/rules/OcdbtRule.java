package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * The files of tensorstore's OCDBT key-value store, the layout Orbax writes checkpoints in by
 * default ({@code manifest.ocdbt} and the {@code d/} data files holding b-tree nodes and array
 * bytes): tensorstore reads keys and array bytes from them and runs nothing. Recognised by the
 * magic number in the first four bytes (big-endian {@code 0x0cdb3a2a} for a manifest, {@code
 * 0x0cdb20de} for a data file), then checked whole as tensorstore checks it: the length after the
 * magic (64-bit little-endian) is the file's size, and the last four bytes are the CRC-32C of all
 * before them. A file that passes is listed as skipped with the reason; one that does not is {@code
 * ocdbt.malformed} (medium: not what tensorstore wrote, so not classified). The values inside are
 * not decoded (the fingerprinting reader does that).
 */
public final class OcdbtRule implements FormatRule {
  static final int MANIFEST_MAGIC = 0x0cdb3a2a;
  static final int DATA_FILE_MAGIC = 0x0cdb20de;

  /** Magic, length, and the checksum at the end. */
  static final int MIN_SIZE = 4 + 8 + 4;

  @Override
  public String format() {
    return "ocdbt";
  }

  @Override
  public boolean claims(Content c) {
    int m = magic(c);
    return m == MANIFEST_MAGIC || m == DATA_FILE_MAGIC;
  }

  private static int magic(Content c) {
    if (c.headLength() < 4) {
      return 0;
    }
    return c.headByte(0) << 24 | c.headByte(1) << 16 | c.headByte(2) << 8 | c.headByte(3);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    String kind = magic(c) == MANIFEST_MAGIC ? "manifest" : "data file";
    long declared = 0;
    for (int i = 0; i < 8 && 4 + i < c.headLength(); i++) {
      declared |= (long) c.headByte(4 + i) << (8 * i);
    }
    CRC32C crc = new CRC32C();
    // Everything but the last four bytes goes into the checksum: the newest (at most) four bytes
    // read are held back in `tail` until more follow.
    byte[] tail = new byte[4];
    int held = 0;
    long total = 0;
    try (InputStream in = c.open()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        int available = held + n;
        int flush = available - Math.min(4, available);
        int fromTail = Math.min(flush, held);
        crc.update(tail, 0, fromTail);
        int fromBuf = flush - fromTail;
        crc.update(buf, 0, fromBuf);
        byte[] next = new byte[4];
        int k = 0;
        for (int i = fromTail; i < held; i++) {
          next[k++] = tail[i];
        }
        for (int i = fromBuf; i < n; i++) {
          next[k++] = buf[i];
        }
        tail = next;
        held = k;
      }
    }
    if (total < MIN_SIZE || declared != total) {
      malformed(
          c, ctx, kind, "its length field says " + declared + " bytes, the file has " + total);
      return;
    }
    int stored =
        (tail[0] & 0xFF) | (tail[1] & 0xFF) << 8 | (tail[2] & 0xFF) << 16 | (tail[3] & 0xFF) << 24;
    if ((int) crc.getValue() != stored) {
      malformed(c, ctx, kind, "its CRC-32C does not match its content");
      return;
    }
    ctx.skipped(
        c, "tensorstore OCDBT " + kind + " (keys and array bytes, CRC-32C checked; runs nothing)");
  }

  private static void malformed(Content c, ScanContext ctx, String kind, String why) {
    ctx.finding(
        c,
        "ocdbt.malformed",
        Severity.MEDIUM,
        "",
        "starts like a tensorstore OCDBT " + kind + " but " + why + "; not classified");
  }
}
