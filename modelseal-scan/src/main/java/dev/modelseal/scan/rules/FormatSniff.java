package dev.modelseal.scan.rules;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.scan.Content;

/**
 * Routes a content by the sniff of the tensor reader of its format ({@link
 * dev.modelseal.formats.FormatReader#sniff}), so that the scanner and {@link FormatDetector} give
 * one answer for one content. The reader sees the head of the content only (no path): what it can
 * tell from the first {@link Content#HEAD_BYTES} bytes and the size.
 */
final class FormatSniff {
  private FormatSniff() {}

  /** True when the reader of {@code format} recognises the head of {@code c}. */
  static boolean is(Format format, Content c) {
    try {
      return FormatDetector.reader(format).sniff(FormatProbe.ofHead(c.head(), c.size()));
    } catch (ModelsealException e) {
      return false; // a head-only sniff reads no file; nothing to report
    }
  }
}
