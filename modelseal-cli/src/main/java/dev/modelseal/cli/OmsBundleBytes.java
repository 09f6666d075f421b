package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.oms.OmsBundle;
import java.nio.file.Path;

/** The bytes of a signature bundle just written, read under the verifier's size limit. */
final class OmsBundleBytes {
  private OmsBundleBytes() {}

  static byte[] read(Path sig) throws ModelsealException {
    return OmsBundle.readBytes(sig, OmsBundle.DEFAULT_MAX_BYTES);
  }
}
