package dev.modelseal.formats.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PickleMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * State dicts written by Python 2-era torch: {@code OrderedDict([[name, tensor], ...])} through
 * REDUCE ({@code fixtures/generate_torch_py2.py}, checked to load with {@code
 * torch.load(weights_only=True)}).
 */
class TorchPython2Test {
  @Test
  void python2OrderedDict_readsAsTheSameTensors() throws Exception {
    Path py2 = Shared.fixture("common_py2.pt");
    assertThat(FormatDetector.create().detect(py2)).isEqualTo(Format.PYTORCH_LEGACY);
    assertThat(Fingerprinter.create().fingerprint(py2).weights())
        .isEqualTo(
            Fingerprinter.create().fingerprint(Shared.fixture("common_legacy.pt")).weights());
  }

  private static Object resolve(String pickle) throws Exception {
    Path file = Path.of("p.pkl");
    return PickleMachine.run(
            pickle.getBytes(StandardCharsets.ISO_8859_1),
            file,
            "pickle",
            new TorchResolver(file, "pickle", true),
            PickleLimits.defaults())
        .value();
  }

  @Test
  void orderedDictOfNonPairs_isMalformed() {
    // OrderedDict([[1, 2, 3]])
    assertThatThrownBy(() -> resolve("ccollections\nOrderedDict\n(((I1\nI2\nI3\nlltR."))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("not a (key, value) pair");
  }

  @Test
  void orderedDictWithOtherArguments_isStillRefused() {
    assertThatThrownBy(() -> resolve("ccollections\nOrderedDict\n(I1\nI2\ntR."))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("OrderedDict with constructor arguments");
  }
}
