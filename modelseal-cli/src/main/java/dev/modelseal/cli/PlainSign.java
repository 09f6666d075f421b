package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.manifest.DigestCache;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.walk.WalkOptions;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code modelseal sign PATH --key PEM [-o SIG] [--cache FILE]}, the everyday signing and
 * re-signing command, as plain code that links no command-line parser class (the start-up shortcut
 * runs it, {@link dev.modelseal.cli.startup.StartUp}); and the success report every {@code sign}
 * prints.
 *
 * <p>Guarantee: the same steps, the same files and the same output as {@link SignCommand} for that
 * command line (a test compares them); it throws where that command would report an error.
 */
final class PlainSign {
  private PlainSign() {}

  /** Signs {@code model} with the unencrypted key in {@code keyFile}; returns the exit code. */
  static int sign(
      Path model, Path keyFile, Path output, Path cacheFile, PrintWriter out, PrintWriter err)
      throws ModelsealException {
    SigningKey key = PemFiles.readPrivateKey(keyFile, null);
    OmsSigner signer = OmsSigner.withKey(key);
    DigestCache cache = CacheOptions.open(cacheFile, err);
    if (cache != null) {
      signer = signer.withCache(cache);
    }
    OmsSigner.Written w =
        signer
            .withProgress(Progress.forTask("signing"))
            .write(model, output, WalkOptions.defaults());
    if (cache != null) {
      cache.save();
    }
    print(out, model, w, "key", key);
    return out.checkError() ? Main.ERROR : Main.OK;
  }

  /** The report of a written signature: where, how, the root, the pin, and what was left out. */
  static void print(
      PrintWriter out, Path model, OmsSigner.Written w, String method, SigningKey key) {
    out.println(
        "Signed "
            + model
            + " -> "
            + w.signature()
            + " ("
            + method
            + " method, "
            + key.algorithm().sigstoreName()
            + ")");
    out.println(
        "  root " + w.manifest().root() + " (" + w.manifest().resources().size() + " files)");
    out.println("  pin  " + w.manifest().pin());
    if (w.excludedSignature() != null) {
      out.println(
          "  "
              + w.excludedSignature()
              + " itself is not part of the signed model; 'modelseal hash "
              + model
              + " --ignore "
              + w.excludedSignature()
              + "' prints this root");
    }
    out.flush();
  }
}
