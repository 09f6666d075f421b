package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SentencePiece tokenizer models: the real-shaped fixture (written by {@code
 * fixtures/sentencepiece/gen_sentencepiece.py}, loaded by the SentencePiece library in {@code
 * check_sentencepiece.mjs}) is data, and anything that only starts like one is a finding.
 */
class SentencePieceTest {
  @TempDir Path dir;

  private static byte[] fixture() throws IOException {
    return Files.readAllBytes(Fixtures.of("sentencepiece/tokenizer.model"));
  }

  private ScanReport scan(String name, byte[] data) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, data);
    ScanReport r = ModelScanner.create().scan(f);
    assertThat(r.complete()).isTrue();
    return r;
  }

  private static List<String> rules(ScanReport r) {
    return r.findings().stream().map(f -> f.rule() + " " + f.message()).toList();
  }

  @Test
  void modelsWrittenBySentencePiecesTrainer_areData_withOrWithoutControlScores()
      throws IOException {
    // fixtures/sentencepiece/train_sentencepiece.py: trained by the library; the second has no
    // score on <unk>, <s>, </s>, as older trainers wrote (and published models carry)
    for (String f : new String[] {"trained.model", "unscored_controls.model"}) {
      byte[] b = Files.readAllBytes(Fixtures.of("sentencepiece/" + f));
      ScanReport r = scan(f, b);
      assertThat(r.findings()).as(f).isEmpty();
      assertThat(r.skipped()).as(f).isEmpty();
    }
  }

  @Test
  void tokenizerModel_isDataWithoutFindings() throws IOException {
    ScanReport r = scan("tokenizer.model", fixture());
    assertThat(r.findings()).isEmpty();
    assertThat(r.skipped()).isEmpty();
    // Beside a model, as in a Hugging Face directory: the directory scans clean.
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.write(model.resolve("tokenizer.model"), fixture());
    Files.copy(Fixtures.of("torch_clean.pt"), model.resolve("pytorch_model.bin"));
    assertThat(ModelScanner.create().scan(model).findings()).isEmpty();
  }

  @Test
  void zipAppended_isMalformedNotSkipped() throws IOException {
    // A loader that reads archives from their end would find the pickle: not data.
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(fixture());
    b.write(Files.readAllBytes(Fixtures.of("torch_system.pt")));
    assertThat(rules(scan("tokenizer.model", b.toByteArray())))
        .anyMatch(s -> s.startsWith("sentencepiece.malformed"));
  }

  @Test
  void truncated_isMalformed() throws IOException {
    byte[] f = fixture();
    assertThat(rules(scan("cut.model", Arrays.copyOf(f, f.length / 2))))
        .anyMatch(s -> s.startsWith("sentencepiece.malformed"));
  }

  @Test
  void pieceWithAnotherField_isMalformed() throws IOException {
    // The first piece, with a field 4 (length-delimited) added inside it.
    byte[] f = fixture();
    int len = f[1];
    byte[] extra = {0x22, 0x02, 'h', 'i'};
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x0a);
    b.write(len + extra.length);
    b.write(f, 2, len);
    b.write(extra);
    b.write(f, 2 + len, f.length - 2 - len);
    assertThat(rules(scan("odd.model", b.toByteArray())))
        .anyMatch(s -> s.startsWith("sentencepiece.malformed") && s.contains("field 4"));
  }

  @Test
  void topLevelFieldOutsideTheSchema_isMalformed() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(fixture());
    b.write(new byte[] {0x3a, 0x01, 0x00}); // field 7, length-delimited
    assertThat(rules(scan("odd.model", b.toByteArray())))
        .anyMatch(s -> s.startsWith("sentencepiece.malformed") && s.contains("field 7"));
  }
}
