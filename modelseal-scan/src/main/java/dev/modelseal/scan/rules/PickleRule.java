package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.pickle.PickleInput;
import dev.modelseal.scan.pickle.PickleListener;
import dev.modelseal.scan.pickle.PickleWalk;
import dev.modelseal.scan.pickle.PickleWalker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Pickles wherever they are not wrapped: raw pickle files of any protocol (2 to 5 from their PROTO
 * header; 0 and 1, which have none, when the head walks as a pickle), legacy {@code torch.save}
 * files (five pickles in a row) and joblib-style files (a pickle followed by array bytes). Rule
 * ids: {@code pickle.dangerous-import} (critical), {@code pickle.unknown-import}, {@code
 * pickle.unnamed-import} (high), {@code pickle.malformed}, {@code pickle.limit} (medium), {@code
 * pickle.stacked} (info).
 */
public final class PickleRule implements FormatRule {
  /** Opcodes a protocol 0 or 1 pickle must walk through in a full head to be taken for one. */
  private static final int MIN_HEADLESS_OPCODES = 8;

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
    return b0 >= 0 && headlessPickle(c.head(), c.headLength() == Content.HEAD_BYTES);
  }

  /** True when {@code head} walks as a protocol 0/1 pickle. */
  static boolean headlessPickle(byte[] head, boolean headIsPrefix) throws IOException {
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
    return w.end() == PickleWalk.End.STOP
        || named[0]
        || (headIsPrefix
            && w.end() == PickleWalk.End.TRUNCATED
            && w.opcodes() >= MIN_HEADLESS_OPCODES);
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    try (InputStream in = c.open()) {
      PickleScan.walk(c, ctx, in, 0, c.role() != Content.Role.TENSOR_DATA);
    }
  }
}
