package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.io.InputStream;

/**
 * A SentencePiece tokenizer model ({@code tokenizer.model}, {@code spiece.model} of LLaMA, T5,
 * Mistral...): a protobuf {@code ModelProto} the SentencePiece library parses as data, with nothing
 * in it that runs. Without this rule such files were unknown content (a medium finding), so the
 * default {@code --scan} level refused every model directory that carries one.
 *
 * <p>Data only if the whole file has the shape: top-level fields 1 to 5, each length-delimited
 * (pieces, trainer, normalizer, self-test and denormalizer specs), and every piece made only of its
 * text (1), score (2, 32-bit) and type (3, varint). Anything else, or bytes after the last field (a
 * zip appended for a loader that reads archives from their end, say), is {@code
 * sentencepiece.malformed} (medium): not skipped, so nothing hides behind a tokenizer's header.
 *
 * <p>Claimed by content: a first field 1 whose message starts with a short field 1 (the piece text)
 * followed by field 2 as a 32-bit float (the score) or, when the score is left out (the trainer
 * writes none for the control pieces {@code <unk>}, {@code <s>}, {@code </s>} that often come
 * first), by field 3 as a varint (the type).
 */
public final class SentencePieceRule implements FormatRule {
  /** The most pieces read (vocabularies have at most a few hundred thousand). */
  static final long MAX_PIECES = 10_000_000;

  /** The longest piece text accepted by {@link #claims}. */
  private static final int MAX_CLAIMED_PIECE = 256;

  @Override
  public String format() {
    return "sentencepiece";
  }

  @Override
  public boolean claims(Content c) {
    if (c.headLength() < 8 || c.headByte(0) != 0x0a) {
      return false;
    }
    int[] pos = {1};
    long message = headVarint(c, pos);
    if (message < 7 || c.headByte(pos[0]) != 0x0a) {
      return false;
    }
    pos[0]++;
    long text = headVarint(c, pos);
    if (text < 0 || text > MAX_CLAIMED_PIECE || text >= message) {
      return false;
    }
    int score = pos[0] + (int) text;
    return score < c.headLength() && (c.headByte(score) == 0x15 || c.headByte(score) == 0x18);
  }

  /** A varint of the head at {@code pos[0]} (advanced), or -1 when it does not fit. */
  private static long headVarint(Content c, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 35 && pos[0] < c.headLength(); shift += 7) {
      int b = c.headByte(pos[0]++);
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return pos[0] < c.headLength() ? v : -1;
      }
    }
    return -1;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    long end = c.size();
    try (InputStream raw = c.open()) {
      ProtoStream in = new ProtoStream(raw);
      long pieces = 0;
      while (in.offset() < end) {
        long tag = in.varint();
        int field = (int) (tag >>> 3);
        if ((tag & 7) != ProtoStream.LEN || field < 1 || field > 5) {
          malformed(c, ctx, in.offset(), "field " + field + " (wire type " + (tag & 7) + ")");
          return;
        }
        long fieldEnd = in.region(end);
        if (field == 1) {
          if (++pieces > MAX_PIECES) {
            malformed(c, ctx, in.offset(), "more than " + MAX_PIECES + " pieces");
            return;
          }
          String bad = piece(in, fieldEnd);
          if (bad != null) {
            malformed(c, ctx, in.offset(), bad);
            return;
          }
        } else {
          in.skipTo(fieldEnd);
        }
      }
    } catch (IOException e) {
      ctx.finding(
          c,
          "sentencepiece.malformed",
          Severity.MEDIUM,
          "",
          "not a well-formed SentencePiece model: " + e.getMessage());
    }
  }

  /** Reads one piece to {@code end}; null when it holds only text, score and type. */
  private static String piece(ProtoStream in, long end) throws IOException {
    while (in.offset() < end) {
      long tag = in.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      boolean expected =
          (field == 1 && wire == ProtoStream.LEN)
              || (field == 2 && wire == ProtoStream.FIXED32)
              || (field == 3 && wire == ProtoStream.VARINT);
      if (!expected) {
        return "a piece with field " + field + " (wire type " + wire + ")";
      }
      in.skip(wire, end);
    }
    return in.offset() == end ? null : "a piece that runs past its length";
  }

  private static void malformed(Content c, ScanContext ctx, long offset, String what) {
    ctx.finding(
        c,
        "sentencepiece.malformed",
        Severity.MEDIUM,
        "",
        "not a well-formed SentencePiece model: " + what + " near byte " + offset);
  }
}
