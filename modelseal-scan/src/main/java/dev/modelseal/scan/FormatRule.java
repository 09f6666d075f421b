package dev.modelseal.scan;

import java.io.IOException;

/**
 * One format's scanning rules: {@link #claims} decides from the content (never a file name) whether
 * the content is this format, and {@link #scan} reports what loading it would run. Adding a format
 * is one class implementing this interface, registered with {@link ModelScanner.Builder#rule};
 * rules are tried in registration order and the first that claims a content scans it.
 *
 * <p>A rule reports through its {@link ScanContext} and hands embedded content (archive members,
 * decompressed streams, trailing bytes) back to {@link ScanContext#scanNested}, so every format is
 * found wherever it hides. A rule must not execute, import or deserialize anything from the
 * content, and must bound what it reads. An {@link IOException} thrown by {@link #scan} is reported
 * as an unreadable-content finding; findings reported before it are kept.
 */
public interface FormatRule {
  /** A short name of the format, used in messages ({@code pickle}, {@code zip}...). */
  String format();

  /** True when {@code content} is this rule's format, judged from its head (and, rarely, more). */
  boolean claims(Content content) throws IOException;

  /** Scans {@code content}, reporting to {@code context}. */
  void scan(Content content, ScanContext context) throws IOException;

  /**
   * True for a rule that only recognises a format it cannot inspect: such rules are tried after
   * every other rule, so a rule that inspects the format takes precedence.
   */
  default boolean fallback() {
    return false;
  }
}
