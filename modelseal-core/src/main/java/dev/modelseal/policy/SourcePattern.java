package dev.modelseal.policy;

/**
 * A model source pattern of a policy rule: an exact source ({@code oci://r.example/team/llm:1},
 * {@code s3://bucket/models/llm}, {@code /srv/models/llm}) or a prefix ending in {@code *} ({@code
 * oci://r.example/team/*}). No other wildcard: {@code *} elsewhere, {@code ?} and {@code [} are
 * refused, and a pattern is compared as text, so that what it covers is plain to read.
 */
final class SourcePattern {
  private final String text;
  private final boolean prefix;

  private SourcePattern(String text) {
    this.text = text;
    this.prefix = text.endsWith("*");
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException when it is not one of the two forms, or names neither an
   *     {@code oci://} or {@code s3://} source nor an absolute path
   */
  static SourcePattern parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    int star = text.indexOf('*');
    if ((star >= 0 && star != text.length() - 1)
        || text.indexOf('?') >= 0
        || text.indexOf('[') >= 0) {
      throw new IllegalArgumentException(
          "may hold one '*', at its end (a prefix), and no '?' or '['");
    }
    if (!(text.startsWith("oci://") || text.startsWith("s3://") || text.startsWith("/"))) {
      throw new IllegalArgumentException("must start with oci://, s3:// or / (an absolute path)");
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < 0x20 || text.charAt(i) == 0x7f) {
        throw new IllegalArgumentException("holds a control character");
      }
    }
    return new SourcePattern(text);
  }

  boolean matches(String source) {
    return prefix ? source.startsWith(text.substring(0, text.length() - 1)) : source.equals(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
