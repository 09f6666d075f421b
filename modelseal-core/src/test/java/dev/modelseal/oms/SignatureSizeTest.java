package dev.modelseal.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.digest.Digest;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing refuses a bundle that verification would refuse to read (issue 13). */
class SignatureSizeTest {
  @TempDir Path tmp;

  @Test
  void write_bundleOverTheVerificationLimit_refusedAndNothingWritten() throws Exception {
    SigningKey key =
        PemFiles.readPrivateKey(
            TestPki.writePkcs8(tmp.resolve("key.pem"), TestPki.ec("secp256r1").getPrivate()), null);
    // Names of quotes: 10 MiB of raw names pass the up-front lower bound, but JSON escaping
    // doubles them, so the base64 payload alone is over 16 MiB.
    List<ResourceDigest> resources = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      resources.add(new ResourceDigest(i + "\"".repeat(1 << 20), Digest.sha256(new byte[32]), 1));
    }
    Manifest m = Manifest.of("m", Serialization.defaults(), resources);
    OmsBundle b = OmsSigner.withKey(key).sign(m);
    Path sig = tmp.resolve("model.sig");
    assertThatThrownBy(() -> b.write(sig))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("over the " + OmsBundle.DEFAULT_MAX_BYTES + " that verification");
    assertThat(sig).doesNotExist();
  }
}
