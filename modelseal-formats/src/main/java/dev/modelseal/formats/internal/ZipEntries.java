package dev.modelseal.formats.internal;

import dev.modelseal.formats.MalformedModelException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;

/**
 * Iterates the members of a {@link java.util.zip.ZipFile} with the project's exceptions: the JDK
 * checks member names when it opens a zip but decodes member comments only when an entry is
 * reached, and reports one that is not valid UTF-8 with an unchecked {@link
 * IllegalArgumentException}, which becomes a {@link MalformedModelException} naming the file.
 */
public final class ZipEntries {
  private ZipEntries() {}

  /** The next member of {@code entries}, which must have one. */
  public static ZipEntry next(Enumeration<? extends ZipEntry> entries, Path file)
      throws MalformedModelException {
    try {
      return entries.nextElement();
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, "a zip member name or comment is not valid UTF-8", e);
    }
  }
}
