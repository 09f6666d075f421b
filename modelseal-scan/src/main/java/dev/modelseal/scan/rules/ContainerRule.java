package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.nio.charset.StandardCharsets;

/**
 * Archives and compressed streams this scanner does not open (7z, RAR, tar, zstd, lz4, cab, ar,
 * cpio): reported as {@code container.unsupported} (medium), because their members could hold
 * anything and were not scanned (fail closed).
 */
public final class ContainerRule implements FormatRule {
  private static final byte[] SEVEN_Z = {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C};
  private static final byte[] RAR = {'R', 'a', 'r', '!', 0x1A, 0x07};
  private static final byte[] ZSTD = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
  private static final byte[] LZ4 = {0x04, 0x22, 0x4D, 0x18};
  private static final byte[] CAB = {'M', 'S', 'C', 'F'};
  private static final byte[] AR = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CPIO = "07070".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);

  @Override
  public String format() {
    return "unsupported container";
  }

  @Override
  public boolean claims(Content c) {
    return name(c) != null;
  }

  private static String name(Content c) {
    if (c.headMatches(0, SEVEN_Z)) {
      return "7z archive";
    }
    if (c.headMatches(0, RAR)) {
      return "RAR archive";
    }
    if (c.headMatches(0, ZSTD)) {
      return "zstd stream";
    }
    if (c.headMatches(0, LZ4)) {
      return "lz4 stream";
    }
    if (c.headMatches(0, CAB)) {
      return "cab archive";
    }
    if (c.headMatches(0, AR)) {
      return "ar archive";
    }
    if (c.headMatches(0, CPIO)) {
      return "cpio archive";
    }
    if (c.headMatches(257, USTAR)) {
      return "tar archive";
    }
    return null;
  }

  @Override
  public void scan(Content c, ScanContext ctx) {
    ctx.finding(
        c,
        "container.unsupported",
        Severity.MEDIUM,
        "",
        name(c) + ": this scanner does not open it, so its content was not scanned (fail closed)");
  }
}
