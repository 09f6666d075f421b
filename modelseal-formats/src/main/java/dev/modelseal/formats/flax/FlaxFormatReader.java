package dev.modelseal.formats.flax;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.FormatReader;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.flax.MsgpackInput.Header;
import dev.modelseal.formats.flax.MsgpackInput.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The {@link FormatReader} of JAX/Flax msgpack checkpoints ({@link FlaxReader}). Sniffing walks the
 * msgpack structure from the start (a map, an array or an extension at the top; string or integer
 * map keys), skipping payloads, for at most {@value #SNIFF_VALUES} values, and says yes at the
 * first flax array extension (type 1 or 3 holding a three-item array), or when the nesting passes
 * {@link FlaxTree#MAX_DEPTH} under a top-level map with a string key (so the reader can refuse it
 * precisely). For a stream head, the same walk over the head's bytes. Asked after every other
 * reader: msgpack has no magic number.
 */
public final class FlaxFormatReader implements FormatReader {
  /** Most msgpack values the sniff walks before giving up. */
  static final int SNIFF_VALUES = 4096;

  @Override
  public Format format() {
    return Format.FLAX;
  }

  @Override
  public int precedence() {
    return 1300;
  }

  @Override
  public boolean sniff(FormatProbe probe) throws ModelsealException {
    if (probe.isDirectory() || !startsLikeFlax(probe.headByte(0))) {
      return false;
    }
    Optional<Path> path = probe.path();
    if (path.isEmpty()) {
      return walk(MsgpackInput.of(probe.head(), Path.of("<head>")));
    }
    try (FileChannel ch = FileChannel.open(path.get(), StandardOpenOption.READ)) {
      return walk(MsgpackInput.of(ch, path.get(), ch.size()));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A top-level map whose first key is a string (a short one of printable ASCII, as far as the head
   * shows, or a str8/16/32): looks like a damaged flax file, so its reader says what is wrong.
   */
  @Override
  public boolean sniffDamaged(FormatProbe probe) {
    int b = probe.headByte(0);
    if (!(b >= 0x81 && b <= 0x8f) && b != 0xde && b != 0xdf) {
      return false;
    }
    int k = b == 0xde ? 3 : b == 0xdf ? 5 : 1;
    int s = probe.headByte(k);
    if (s >= 0xd9 && s <= 0xdb) {
      return true; // a str8/16/32 key: the reader checks its length
    }
    if (s < 0xa1 || s > 0xbf) {
      return false;
    }
    int len = s & 0x1f;
    for (int i = k + 1; i <= k + len && i < probe.headLength(); i++) {
      int c = probe.headByte(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsLikeFlax(int b) {
    return (b >= 0x80 && b <= 0x9f)
        || b == 0xdc
        || b == 0xdd
        || b == 0xde
        || b == 0xdf
        || (b >= 0xc7 && b <= 0xc9)
        || (b >= 0xd4 && b <= 0xd8);
  }

  /** Walks the structure; true at the first flax array extension. */
  private static boolean walk(MsgpackInput in) {
    // remaining values to read per open container; a map counts keys and values
    Deque<long[]> open = new ArrayDeque<>();
    boolean topMapWithStrKey = false;
    try {
      for (int n = 0; n < SNIFF_VALUES; n++) {
        boolean isKey = !open.isEmpty() && open.peek()[1] == 1 && open.peek()[0] % 2 == 0;
        Header h = in.header("the sniffed value");
        if (isKey && h.kind() != Kind.STR && h.kind() != Kind.INT) {
          return false;
        }
        if (isKey && open.size() == 1 && h.kind() == Kind.STR) {
          topMapWithStrKey = true;
        }
        if (!open.isEmpty()) {
          open.peek()[0]--;
        }
        switch (h.kind()) {
          case MAP, ARRAY -> {
            if (open.size() >= FlaxTree.MAX_DEPTH) {
              return topMapWithStrKey;
            }
            long items = h.kind() == Kind.MAP ? 2 * h.length() : h.length();
            open.push(new long[] {items, h.kind() == Kind.MAP ? 1 : 0});
          }
          case EXT -> {
            if ((h.extType() == 1 || h.extType() == 3) && !isKey) {
              Header t = in.header("the sniffed array");
              return t.kind() == Kind.ARRAY && t.length() == 3;
            }
            in.skip(h.length(), "the sniffed extension");
          }
          case STR, BIN -> in.skip(h.length(), "the sniffed value");
          default -> {}
        }
        while (!open.isEmpty() && open.peek()[0] == 0) {
          open.pop();
        }
        if (open.isEmpty()) {
          return false;
        }
      }
    } catch (FormatException | dev.modelseal.ModelIoException e) {
      return false;
    }
    return false;
  }

  @Override
  public TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    return FlaxReader.open(path, limits);
  }
}
