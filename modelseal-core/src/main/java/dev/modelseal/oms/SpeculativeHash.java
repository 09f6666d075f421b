package dev.modelseal.oms;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Hashes a model, in the background, the way signers hash by default (files, SHA-256, the OMS
 * exclusions plus the caller's ignore paths and the signature file), while the key, the bundle and
 * its signature are being checked. The verifier uses the result only when the signed serialization
 * turns out to hash the same way; otherwise it hashes again. Either way the model is compared with
 * the signed manifest exactly as without speculation: this only saves time.
 *
 * <p>Explicit and optional: nothing in the library starts one. A caller with slow key or bundle
 * loading (the command-line tool at start-up) calls {@link #start} and hands the result to {@link
 * OmsVerifier#check(Path, Path, SpeculativeHash)}; the result is only ever read by that verifier
 * (its accessors are package-private), so a speculative hash cannot stand in for a verified one.
 * Costs a whole extra hash when the signature turns out to use another serialization.
 */
public final class SpeculativeHash {
  private final Serialization serialization;
  private final FutureTask<Manifest> task;

  private SpeculativeHash(Serialization serialization, FutureTask<Manifest> task) {
    this.serialization = serialization;
    this.task = task;
  }

  /**
   * Starts hashing {@code model} in the background (a daemon thread); null when the ignore paths
   * are unusable (the verifier then reports them itself).
   */
  public static SpeculativeHash start(
      Path model, Path signature, List<String> ignore, HashProgress progress) {
    List<String> all = new ArrayList<>(ignore);
    String inside = OmsSigner.relativeInside(model, signature);
    if (inside != null) {
      all.add(inside);
    }
    Serialization s;
    try {
      s = Serialization.files(HashAlgorithm.SHA256, WalkOptions.defaults().ignoring(all));
    } catch (IllegalArgumentException e) {
      return null;
    }
    Serialization chosen = s;
    FutureTask<Manifest> task =
        new FutureTask<>(
            () ->
                ModelHasher.of(chosen)
                    .progress(progress)
                    .hash(ModelWalker.with(chosen.walk()).walk(model)));
    Thread t = new Thread(task, "modelseal-speculative-hash");
    t.setDaemon(true);
    t.start();
    return new SpeculativeHash(s, task);
  }

  Serialization serialization() {
    return serialization;
  }

  /** The manifest, or the failure hashing met (a missing file, a changed file...). */
  Manifest manifest() throws ModelsealException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ModelsealException m) {
        throw m;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new ModelIoException(null, String.valueOf(c), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelIoException(null, "interrupted while hashing", e);
    } catch (CancellationException e) {
      throw new ModelIoException(null, "hashing was cancelled", e);
    }
  }

  /** Stops the background hashing if its result is not wanted. */
  public void cancel() {
    task.cancel(true);
  }
}
