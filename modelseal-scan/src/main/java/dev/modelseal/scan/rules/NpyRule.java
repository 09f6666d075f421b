package dev.modelseal.scan.rules;

import dev.modelseal.formats.Format;
import dev.modelseal.formats.numpy.NpyHeaderStrings;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NumPy {@code .npy} files (also as {@code .npz} members): an array whose dtype holds Python
 * objects ({@code |O}, also inside a structured dtype) is stored as a pickle after the header, run
 * by {@code np.load(allow_pickle=True)}; that pickle is scanned like any other. Rule id {@code
 * npy.malformed} (medium) for a header that cannot be read.
 */
public final class NpyRule implements FormatRule {
  /** Longest header read (numpy itself refuses more than 10,000 bytes by default). */
  static final int MAX_HEADER = 1 << 20;

  @Override
  public String format() {
    return "npy";
  }

  @Override
  public boolean claims(Content c) {
    return FormatSniff.is(Format.NPY, c);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    try (InputStream in = c.open()) {
      byte[] fixed = in.readNBytes(8);
      if (fixed.length < 8) {
        malformed(c, ctx, "file ends inside the .npy preamble");
        return;
      }
      int major = fixed[6] & 0xFF;
      long len;
      int lenBytes;
      if (major == 1) {
        lenBytes = 2;
      } else if (major == 2 || major == 3) {
        lenBytes = 4;
      } else {
        malformed(c, ctx, "unknown .npy format version " + major);
        return;
      }
      byte[] lb = in.readNBytes(lenBytes);
      if (lb.length < lenBytes) {
        malformed(c, ctx, "file ends inside the .npy header length");
        return;
      }
      len = 0;
      for (int i = 0; i < lenBytes; i++) {
        len |= (long) (lb[i] & 0xFF) << (8 * i);
      }
      if (len > MAX_HEADER) {
        malformed(c, ctx, ".npy header of " + len + " bytes is over the limit of " + MAX_HEADER);
        return;
      }
      byte[] header = in.readNBytes((int) len);
      if (header.length < len) {
        malformed(c, ctx, "file ends inside the .npy header");
        return;
      }
      String text =
          new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      long dataOffset = 8L + lenBytes + len;
      List<String> strings;
      try {
        strings = NpyHeaderStrings.of(text);
      } catch (IllegalArgumentException e) {
        // numpy may still read it (its parser is Python's): the data is walked as a possible
        // pickle, and the header is reported.
        ctx.finding(
            c,
            "npy.malformed",
            Severity.MEDIUM,
            "",
            ".npy header not read as numpy reads it ("
                + e.getMessage()
                + "); its data is walked as a possible pickle");
        PickleScan.walk(c, ctx, in, dataOffset, false);
        return;
      }
      if (!holdsObjects(strings)) {
        return;
      }
      ctx.finding(
          c,
          "npy.object-array",
          Severity.INFO,
          "",
          "object array: its data is a pickle, loaded only with allow_pickle=True; scanned");
      PickleScan.walk(c, ctx, in, dataOffset, true);
    }
  }

  /**
   * True when a string of the header, decoded as numpy decodes it, is an object type code ({@code
   * O}, {@code |O}, {@code O8}...).
   */
  static boolean holdsObjects(List<String> strings) {
    for (String t : strings) {
      String s = t;
      if (!s.isEmpty()
          && (s.charAt(0) == '|'
              || s.charAt(0) == '<'
              || s.charAt(0) == '>'
              || s.charAt(0) == '=')) {
        s = s.substring(1);
      }
      if (s.equals("O")
          || s.startsWith("O")
              && s.length() <= 2
              && s.chars().skip(1).allMatch(Character::isDigit)) {
        return true;
      }
    }
    return false;
  }

  private static void malformed(Content c, ScanContext ctx, String reason) {
    ctx.finding(c, "npy.malformed", Severity.MEDIUM, "", reason + "; not scanned");
  }
}
