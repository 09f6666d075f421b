package dev.modelseal.cli.startup;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Starts {@code modelseal hash PATH [--shard-size N]} before picocli has parsed the command line (a
 * quarter of a second at start-up), for the plain forms only. The hash command uses the result
 * ({@link #take}) when the parsed command asks for exactly that model and serialization, and hashes
 * itself otherwise; the output is the same either way, only sooner. Errors are reported by the
 * command as usual.
 */
public final class EarlyHash {
  private static final String SHARD_SIZE = "--shard-size";
  private static volatile EarlyHash started;

  private final Path model;
  private final Serialization serialization;
  private final FutureTask<Manifest> task;

  private EarlyHash(Path model, Serialization serialization, StartUp.Commands commands) {
    this.model = model;
    this.serialization = serialization;
    this.task = new FutureTask<>(() -> commands.hash(model, serialization));
  }

  /**
   * Starts hashing when {@code argv} is a plain hash command; otherwise does nothing.
   *
   * @return whether hashing started
   */
  static boolean startIfPlain(Argv argv, StartUp.Commands commands) {
    if (!argv.is("hash")) {
      return false;
    }
    Argv.Matched m = argv.match(Set.of(SHARD_SIZE), Set.of(), 1);
    if (m == null) {
      return false; // any other option: let the command do it all
    }
    Serialization s = Serialization.defaults();
    if (m.value(SHARD_SIZE) != null) {
      Long shard = positive(m.value(SHARD_SIZE));
      if (shard == null) {
        return false;
      }
      s = Serialization.shards(HashAlgorithm.SHA256, shard, WalkOptions.defaults());
    }
    Path path;
    try {
      path = Path.of(m.positional(0));
    } catch (InvalidPathException e) {
      return false;
    }
    EarlyHash e = new EarlyHash(path, s, commands);
    Thread t = new Thread(e.task, "modelseal-early-hash");
    t.setDaemon(true);
    t.start();
    started = e;
    return true;
  }

  /**
   * The result of the started plain hash, or null when it failed (the early hash is then left in
   * place so that the command, run as usual, reports the failure with its usual message). A plain
   * {@code hash PATH} whose hash succeeds needs nothing else from the command line, so the caller
   * prints the root without building the parser (picocli costs a core for a quarter of a second).
   */
  static Manifest awaitPlain() {
    EarlyHash e = started;
    if (e == null) {
      return null;
    }
    try {
      Manifest m = e.task.get();
      started = null;
      return m;
    } catch (ExecutionException ex) {
      return null;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static Long positive(String text) {
    try {
      long v = Long.parseLong(text);
      return v > 0 ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The early result for exactly this model and serialization (or the failure it met, thrown as the
   * command would have thrown it), or null when none was started for them (a started one for
   * another model is cancelled).
   */
  public static Manifest take(Path model, Serialization serialization) throws ModelsealException {
    EarlyHash e = started;
    started = null;
    if (e == null || !e.model.equals(model) || !e.serialization.hashesLike(serialization)) {
      if (e != null) {
        e.task.cancel(true);
      }
      return null;
    }
    try {
      return e.task.get();
    } catch (ExecutionException ex) {
      Throwable c = ex.getCause();
      if (c instanceof ModelsealException m) {
        throw m;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new ModelIoException(model, String.valueOf(c), c);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new ModelIoException(model, "interrupted while hashing", ex);
    }
  }
}
