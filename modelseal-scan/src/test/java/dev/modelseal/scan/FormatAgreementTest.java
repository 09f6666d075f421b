package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.scan.rules.GgufRule;
import dev.modelseal.scan.rules.KerasHdf5Rule;
import dev.modelseal.scan.rules.NpyRule;
import dev.modelseal.scan.rules.OnnxRule;
import dev.modelseal.scan.rules.SafetensorsRule;
import dev.modelseal.scan.rules.TfliteRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The scanner's routing and the readers' detector give one answer for one content: over every
 * fixture of the formats and scan modules, the rule of each format a reader knows claims the file
 * exactly when that reader's sniff (as {@link FormatDetector} asks it, with the file's path)
 * recognises it; and the detector's decision is the format of the rule that claims it.
 */
class FormatAgreementTest {
  private static final Map<Format, FormatRule> RULES = new LinkedHashMap<>();

  static {
    RULES.put(Format.SAFETENSORS, new SafetensorsRule());
    RULES.put(Format.GGUF, new GgufRule());
    RULES.put(Format.NPY, new NpyRule());
    RULES.put(Format.KERAS_H5, new KerasHdf5Rule());
    RULES.put(Format.TFLITE, new TfliteRule());
    RULES.put(Format.ONNX, new OnnxRule());
  }

  private static List<Path> fixtures() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String root :
        List.of(
            "src/test/resources/fixtures", "../modelseal-formats/src/test/resources/fixtures")) {
      try (Stream<Path> s = Files.walk(Path.of(root))) {
        s.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
    }
    return files;
  }

  private static Content content(Path p) throws IOException {
    return content(p, p);
  }

  /** The content of file {@code p}; with {@code path} null, as an archive member is (no path). */
  private static Content content(Path p, Path path) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(p)) {
      head = in.readNBytes(Content.HEAD_BYTES);
    }
    return new Content(
        p.toString(),
        "",
        Files.size(p),
        () -> Files.newInputStream(p),
        path,
        Content.Role.ANY,
        0,
        head);
  }

  @Test
  void scannerRulesAndReaderSniffs_agreeOnEveryFixture() throws Exception {
    List<Path> files = fixtures();
    List<String> disagreements = new ArrayList<>();
    Map<Format, Integer> recognised = new LinkedHashMap<>();
    FormatDetector detector = FormatDetector.create();
    for (Path p : files) {
      Content c = content(p);
      FormatProbe probe = FormatProbe.of(p, ReadLimits.defaults());
      Format detected = null;
      try {
        detected = detector.detect(p);
      } catch (dev.modelseal.ModelsealException e) {
        // not a tensor format: no reader's sniff may say yes, and no rule below may claim it
      }
      for (Map.Entry<Format, FormatRule> e : RULES.entrySet()) {
        boolean reader = FormatDetector.reader(e.getKey()).sniff(probe);
        boolean rule = e.getValue().claims(c);
        if (reader != rule) {
          disagreements.add(p + ": " + e.getKey() + " reader " + reader + ", rule " + rule);
        }
        if (rule) {
          recognised.merge(e.getKey(), 1, Integer::sum);
          if (detected != null && detected != e.getKey() && RULES.containsKey(detected)) {
            disagreements.add(p + ": detected " + detected + ", claimed by " + e.getKey());
          }
        }
      }
    }
    assertThat(disagreements).isEmpty();
    // The comparison covers every format with real fixtures, so it cannot pass vacuously.
    assertThat(recognised.keySet()).containsExactlyInAnyOrderElementsOf(RULES.keySet());
    assertThat(files).hasSizeGreaterThan(100);
  }

  @Test
  void headOnlyRouting_agreesWhereTheHeadTellsTheFormat() throws Exception {
    // An archive member or a stream has no path: its rule sees the first Content.HEAD_BYTES bytes.
    // The readers decide from those bytes too, except an HDF5 file whose signature follows a user
    // block (at 512 bytes or beyond), which only a look past the head finds.
    List<String> disagreements = new ArrayList<>();
    int compared = 0;
    for (Path p : fixtures()) {
      Content member = content(p, null);
      FormatProbe probe = FormatProbe.of(p, ReadLimits.defaults());
      for (Map.Entry<Format, FormatRule> e : RULES.entrySet()) {
        boolean reader = FormatDetector.reader(e.getKey()).sniff(probe);
        boolean rule = e.getValue().claims(member);
        compared++;
        if (reader != rule) {
          disagreements.add(p.getFileName() + ": " + e.getKey() + " reader " + reader);
        }
      }
    }
    assertThat(disagreements).containsExactly("common_userblock.h5: KERAS_H5 reader true");
    assertThat(compared).isGreaterThan(600);
  }
}
