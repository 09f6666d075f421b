package dev.modelseal.formats.orbax;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.FuzzChecks;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Jazzer harnesses of the OCDBT reader. Each wraps the input in a valid header, length and
 * CRC-32C (so the fuzzer reaches the decoder instead of the checksum) and places it in a checkpoint
 * of one array: {@code nodeBody} as the b-tree root (its height taken from its first byte, as the
 * manifest would state it), {@code manifestBody} as the manifest in front of a valid leaf. Any
 * input either opens and fingerprints or fails with a one-line {@link FormatException}; any other
 * exception is a finding. Without {@code JAZZER_FUZZ} they run over the seeds in {@code
 * OcdbtFuzzTestInputs/} (bodies of valid stores, written by {@link OcdbtEncoder}).
 */
class OcdbtFuzzTest {
  private static final ReadLimits LIMITS = ReadLimits.defaults().withTensors(10_000);
  private static final Path DIR = FuzzChecks.tempDirectory("modelseal-fuzz-ocdbt");

  @FuzzTest(maxDuration = "60s")
  void nodeBody(byte[] body) throws ModelsealException, IOException {
    byte[] node = OcdbtEncoder.encode(OcdbtDatabase.BTREE_MAGIC, body, false);
    int height = body.length > 0 ? body[0] & 0xff : 0;
    byte[] manifest =
        OcdbtEncoder.encode(
            OcdbtDatabase.MANIFEST_MAGIC,
            OcdbtEncoder.manifestBody(List.of("d/nodes"), 0, 0, node.length, height),
            false);
    open(manifest, node);
  }

  @FuzzTest(maxDuration = "60s")
  void manifestBody(byte[] body) throws ModelsealException, IOException {
    byte[] node =
        OcdbtEncoder.encode(
            OcdbtDatabase.BTREE_MAGIC,
            OcdbtEncoder.leaf("d/values", List.of("w/.zarray", "w/0"), 4),
            false);
    open(OcdbtEncoder.encode(OcdbtDatabase.MANIFEST_MAGIC, body, false), node);
  }

  private static void open(byte[] manifest, byte[] nodes) throws ModelsealException, IOException {
    OcdbtEncoder.writeCheckpoint(DIR, manifest, nodes);
    try (TensorModel m = OrbaxReader.open(DIR, LIMITS)) {
      FuzzChecks.fingerprint(m);
    } catch (FormatException e) {
      FuzzChecks.requireOneLine(e);
    }
  }
}
