package dev.modelseal.formats;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.RegularFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link FormatReader#sniff} sees of a content: its first bytes, its size when known and,
 * for a file or directory on disk, its path (readers that need more than the head, a zip's member
 * names for example, look there within their {@link ReadLimits}). A probe without a path is the
 * head of a stream (a zip member, a decompressed stream); readers then answer from the head alone.
 * Immutable.
 */
public final class FormatProbe {
  /**
   * How many leading bytes {@link #of(Path, ReadLimits)} reads: 32, enough for the longest magic a
   * reader tests (a legacy {@code torch.save} of pickle protocol 4 or 5: PROTO, an 11-byte FRAME,
   * then the 12-byte magic number).
   */
  public static final int HEAD_BYTES = 32;

  private final byte[] head;
  private final long size;
  private final Path path;
  private final boolean directory;
  private final ReadLimits limits;

  private FormatProbe(byte[] head, long size, Path path, boolean directory, ReadLimits limits) {
    this.head = head;
    this.size = size;
    this.path = path;
    this.directory = directory;
    this.limits = limits;
  }

  /** A probe of the file or directory at {@code path}: its first {@value #HEAD_BYTES} bytes. */
  public static FormatProbe of(Path path, ReadLimits limits) throws ModelsealException {
    Objects.requireNonNull(limits, "limits");
    if (Files.isDirectory(path)) {
      return new FormatProbe(new byte[0], -1, path, true, limits);
    }
    try {
      long size = RegularFiles.requireRegular(path); // a FIFO would block the open
      byte[] head = new byte[HEAD_BYTES];
      int n = 0;
      boolean more;
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer b = ByteBuffer.wrap(head);
        while (b.hasRemaining() && ch.read(b) > 0) {
          // reads to the head's end or the file's
        }
        n = b.position();
        // The readers trust the size: a file whose content runs past it (a /proc or /sys file,
        // whose size is 0 or 4096 whatever it holds, or a file being written) is refused.
        more = n > size || ch.read(ByteBuffer.allocate(1), Math.max(size, n)) > 0;
      }
      if (more) {
        throw new InvalidInputException(
            path,
            "has more bytes than its size of "
                + size
                + " (a /proc or /sys file, or a file being written): refused");
      }
      if (n < Math.min(size, HEAD_BYTES)) {
        throw new InvalidInputException(
            path,
            "has fewer bytes ("
                + n
                + ") than its size of "
                + size
                + " (a /proc or /sys file, or a file being truncated): refused");
      }
      return new FormatProbe(Arrays.copyOf(head, n), size, path, false, limits);
    } catch (IOException e) {
      throw ModelIoException.of(path, e);
    }
  }

  /**
   * A probe of a stream's first bytes {@code head} (copied); {@code size} is the stream's length,
   * or -1 when unknown.
   */
  public static FormatProbe ofHead(byte[] head, long size) {
    return new FormatProbe(head.clone(), size, null, false, ReadLimits.defaults());
  }

  /** The number of head bytes. */
  public int headLength() {
    return head.length;
  }

  /** The head byte at {@code i} (0..255), or -1 past the head. */
  public int headByte(int i) {
    return i >= 0 && i < head.length ? head[i] & 0xFF : -1;
  }

  /** The head bytes (a copy). */
  public byte[] head() {
    return head.clone();
  }

  /** True when the head holds {@code magic} at {@code offset}. */
  public boolean headMatches(int offset, byte[] magic) {
    if (offset < 0 || offset + magic.length > head.length) {
      return false;
    }
    return Arrays.equals(head, offset, offset + magic.length, magic, 0, magic.length);
  }

  /** The little-endian unsigned 64-bit value at {@code offset} of the head (8 bytes must exist). */
  public long headU64(int offset) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (head[offset + i] & 0xFF);
    }
    return v;
  }

  /** The content's size in bytes, or -1 when unknown (a stream, a directory). */
  public long size() {
    return size;
  }

  /** The file or directory probed, absent for the head of a stream. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /** True when the probed path is a directory. */
  public boolean isDirectory() {
    return directory;
  }

  /** The limits for what a sniff reads beyond the head. */
  public ReadLimits limits() {
    return limits;
  }

  /** True when the first non-whitespace byte of the head is {@code '{'} (a JSON object). */
  public boolean headStartsJsonObject() {
    int first = 0;
    while (first < head.length && Character.isWhitespace(head[first])) {
      first++;
    }
    return first < head.length && head[first] == '{';
  }

  /** True when the head starts with a zip local file header or an (empty) end record. */
  public boolean headIsZip() {
    return head.length >= 4
        && head[0] == 'P'
        && head[1] == 'K'
        && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
  }
}
