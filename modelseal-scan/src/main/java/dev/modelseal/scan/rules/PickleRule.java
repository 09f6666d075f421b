package dev.modelseal.scan.rules;

import dev.modelseal.formats.pickle.PickleInput;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.pickle.PickleListener;
import dev.modelseal.scan.pickle.PickleWalk;
import dev.modelseal.scan.pickle.PickleWalker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Pickles wherever they are not wrapped: raw pickle files of any protocol (2 to 5 from their PROTO
 * header; 0 and 1, which have none, when the head walks as a pickle: it reaches STOP, names a
 * global, or runs without an opcode the loader would refuse to the end of its first 64 KiB), legacy
 * {@code torch.save} files (five pickles in a row) and joblib-style files (a pickle followed by
 * array bytes). Rule ids: {@code pickle.dangerous-import} (critical), {@code
 * pickle.unknown-import}, {@code pickle.unnamed-import} (high), {@code pickle.malformed}, {@code
 * pickle.limit} (medium), {@code pickle.stacked} (info).
 */
public final class PickleRule implements FormatRule {
  @Override
  public String format() {
    return "pickle";
  }

  @Override
  public boolean claims(Content c) throws IOException {
    int b0 = c.headByte(0);
    if (b0 == 0x80) {
      int p = c.headByte(1);
      return p >= 0 && p <= 5;
    }
    if (b0 < 0) {
      return false;
    }
    Probe head = headlessPickle(c.head(), c.headLength() == Content.HEAD_BYTES);
    if (head != Probe.HEAD_ENDED) {
      return head == Probe.PICKLE;
    }
    // The head ended inside a valid-looking opcode (a long first argument): look further.
    byte[] more;
    try (InputStream in = c.open()) {
      more = in.readNBytes(PROBE_BYTES);
    }
    Probe longer = headlessPickle(more, more.length == PROBE_BYTES);
    return longer != Probe.NOT_PICKLE;
  }

  /** How far a protocol 0/1 pickle is read to decide when the head was not enough. */
  static final int PROBE_BYTES = 64 * 1024;

  /** What a probe of leading bytes says. */
  enum Probe {
    /** Reached STOP or named a global. */
    PICKLE,
    /** Walked to the end of the bytes given, which are a prefix of the content, without fault. */
    HEAD_ENDED,
    /** An opcode the loader would refuse, or a short content that ends without STOP. */
    NOT_PICKLE
  }

  /** What {@code head} says about a protocol 0/1 pickle. */
  static Probe headlessPickle(byte[] head, boolean headIsPrefix) throws IOException {
    boolean[] named = new boolean[1];
    PickleListener l =
        new PickleListener() {
          @Override
          public void global(long offset, String opcode, String module, String name) {
            named[0] |= PickleScan.identifiers(module) && PickleScan.identifiers(name);
          }

          @Override
          public void unnamedGlobal(long offset, String reason) {}

          @Override
          public void extension(long offset, long code) {}
        };
    PickleWalk w =
        new PickleWalker(1_000_000, 100_000)
            .walk(new PickleInput(new ByteArrayInputStream(head)), l);
    if (w.end() == PickleWalk.End.STOP || named[0]) {
      return Probe.PICKLE;
    }
    return headIsPrefix && w.end() == PickleWalk.End.TRUNCATED
        ? Probe.HEAD_ENDED
        : Probe.NOT_PICKLE;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    try (InputStream in = c.open()) {
      PickleScan.walk(c, ctx, in, 0, c.role() != Content.Role.TENSOR_DATA);
    }
  }
}
