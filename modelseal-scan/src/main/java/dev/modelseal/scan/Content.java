package dev.modelseal.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A byte stream to scan: a file, a zip member, a decompressed stream or a region of a file. It can
 * be opened more than once; {@link #head()} holds its first bytes for routing by content. {@link
 * #role()} says what the enclosing format declares it to be (tensor data, for example), which only
 * changes how an unrecognised content is reported, never whether it is routed.
 */
public final class Content {
  /** How many leading bytes {@link #head()} holds at most. */
  public static final int HEAD_BYTES = 512;

  /** What the enclosing format declares the content to be. */
  public enum Role {
    /** Nothing is declared: route by content, report anything unrecognised. */
    ANY,
    /** Raw tensor bytes (a PyTorch storage member, the data after a pickle): not reported. */
    TENSOR_DATA,
    /**
     * A file of a model layout (a SavedModel directory): routed like any content; if no rule reads
     * it, a medium finding says so (never a silent skip), text files aside.
     */
    UNINSPECTED
  }

  /** Opens the content from its first byte. */
  @FunctionalInterface
  public interface Opener {
    /** A new stream over the content from its first byte. */
    InputStream open() throws IOException;
  }

  private final String file;
  private final String location;
  private final long size;
  private final Opener opener;
  private final Path path;
  private final Role role;
  private final int depth;
  private final byte[] head;

  Content(
      String file,
      String location,
      long size,
      Opener opener,
      Path path,
      Role role,
      int depth,
      byte[] head) {
    this.file = file;
    this.location = location;
    this.size = size;
    this.opener = opener;
    this.path = path;
    this.role = role;
    this.depth = depth;
    this.head = head;
  }

  /** The outermost file, as named to the scanner. */
  public String file() {
    return file;
  }

  /** Where this content is inside {@link #file()}: empty for the file itself. */
  public String location() {
    return location;
  }

  /** {@link #location()} followed by {@code detail}, comma-separated. */
  public String at(String detail) {
    if (detail.isEmpty()) {
      return location;
    }
    return location.isEmpty() ? detail : location + ", " + detail;
  }

  /** The size in bytes, or -1 when unknown before reading. */
  public long size() {
    return size;
  }

  /** A new stream over the content from its first byte. */
  public InputStream open() throws IOException {
    return opener.open();
  }

  /** The file holding exactly this content, when there is one (not for members). */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /** What the enclosing format declares it to be. */
  public Role role() {
    return role;
  }

  /** How many containers enclose it (0 for a file given to the scanner). */
  public int depth() {
    return depth;
  }

  /** The first bytes (at most {@link #HEAD_BYTES}); a copy. */
  public byte[] head() {
    return head.clone();
  }

  /** The number of bytes in {@link #head()}. */
  public int headLength() {
    return head.length;
  }

  /** The head byte at {@code i} (0..255), or -1 past the head. */
  public int headByte(int i) {
    return i < head.length ? head[i] & 0xFF : -1;
  }

  /** True when the head starts with {@code magic} at {@code offset}. */
  public boolean headMatches(int offset, byte[] magic) {
    if (offset + magic.length > head.length) {
      return false;
    }
    return Arrays.equals(head, offset, offset + magic.length, magic, 0, magic.length);
  }
}
