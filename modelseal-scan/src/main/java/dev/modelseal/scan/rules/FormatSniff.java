package dev.modelseal.scan.rules;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.scan.Content;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Routes a content by the sniff of the tensor reader of its format ({@link
 * dev.modelseal.formats.FormatReader#sniff}), so that the scanner and {@link FormatDetector} give
 * one answer for one content. A content that is a regular file of its own is probed as the detector
 * probes it (with its path, so the reader may look further, for example for an HDF5 signature after
 * a user block); any other content (an archive member, a decompressed stream, a pipe) by its first
 * {@link Content#HEAD_BYTES} bytes and its size.
 */
final class FormatSniff {
  private FormatSniff() {}

  /** True when the reader of {@code format} recognises the head of {@code c}. */
  static boolean is(Format format, Content c) {
    try {
      Optional<Path> path = c.path().filter(Files::isRegularFile);
      FormatProbe probe =
          path.isPresent()
              ? FormatProbe.of(path.get(), ReadLimits.defaults())
              : FormatProbe.ofHead(c.head(), c.size());
      return FormatDetector.reader(format).sniff(probe);
    } catch (ModelsealException e) {
      return false; // a head-only sniff reads no file; nothing to report
    }
  }
}
