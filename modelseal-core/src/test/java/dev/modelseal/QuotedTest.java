package dev.modelseal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Quoted}: short names as they are, long ones cut with their length, everything escaped. */
class QuotedTest {
  @Test
  void shortNames_quotedAsTheyAre() {
    assertThat(Quoted.of("blk.0.attn_q.weight")).isEqualTo("'blk.0.attn_q.weight'");
    assertThat(Quoted.of("")).isEqualTo("''");
    assertThat(Quoted.of("zürich/层")).isEqualTo("'zürich/层'");
    assertThat(Quoted.of((String) null)).isEqualTo("null");
  }

  @Test
  void longNames_cutWithTheirUtf8Length() {
    String key = "A".repeat(1_572_864);
    String q = Quoted.of(key);
    assertThat(q).isEqualTo("'" + "A".repeat(40) + "…' (1,572,864 bytes)");
    assertThat(Quoted.of(key.getBytes(StandardCharsets.UTF_8))).isEqualTo(q);
    assertThat(Quoted.of("é".repeat(41))).endsWith("…' (82 bytes)");
    // Never half a surrogate pair.
    String emoji = "\uD83D\uDE00".repeat(50);
    assertThat(Quoted.of(emoji)).isEqualTo("'" + "\uD83D\uDE00".repeat(40) + "…' (200 bytes)");
  }

  @Test
  void controlFormatAndQuoteCharacters_escaped() {
    assertThat(Quoted.of("a\nb\r\t\u001b[31m'\\")).isEqualTo("'a\\nb\\r\\t\\x1b[31m\\'\\\\'");
    assertThat(Quoted.of("x\u202Ey\u200Bz\u0085\u2028"))
        .isEqualTo("'x\\u202ey\\u200bz\\x85\\u2028'");
    assertThat(Quoted.of("\uD800x")).isEqualTo("'\\ud800x'");
    assertThat(Quoted.of(new byte[] {'o', 'k', (byte) 0xff})).isEqualTo("'ok\uFFFD'");
  }

  @Test
  void resultIsBoundedWhateverTheInput() {
    String worst = "\u0001".repeat(10_000);
    assertThat(Quoted.of(worst).length()).isLessThanOrEqualTo(Quoted.MAX_RESULT_CHARS);
    assertThat(Quoted.of("\u202E".repeat(10_000)).length())
        .isLessThanOrEqualTo(Quoted.MAX_RESULT_CHARS);
  }
}
