package dev.modelseal.cli;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Starts {@code modelseal hash PATH [--shard-size N]} before picocli has parsed the command line (a
 * quarter of a second at start-up), for the plain forms only. {@link HashCommand} uses the result
 * when the parsed command asks for exactly that model and serialization, and hashes itself
 * otherwise; the output is the same either way, only sooner. Errors are reported by the command as
 * usual.
 */
final class EarlyHash {
  private static volatile EarlyHash started;

  private final Path model;
  private final Serialization serialization;
  private final FutureTask<Manifest> task;

  private EarlyHash(Path model, Serialization serialization) {
    this.model = model;
    this.serialization = serialization;
    this.task = new FutureTask<>(() -> HashCommand.hash(model, serialization));
  }

  /**
   * Starts hashing when {@code args} is a plain hash command; otherwise does nothing.
   *
   * @return whether hashing started
   */
  static boolean startIfPlain(String[] args) {
    if (args.length < 2 || !"hash".equals(args[0])) {
      return false;
    }
    String path = null;
    Long shard = null;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if ("--shard-size".equals(a) && i + 1 < args.length && shard == null) {
        shard = positive(args[++i]);
        if (shard == null) {
          return false;
        }
      } else if (a.startsWith("--shard-size=") && shard == null) {
        shard = positive(a.substring("--shard-size=".length()));
        if (shard == null) {
          return false;
        }
      } else if (!a.startsWith("-") && path == null) {
        path = a;
      } else {
        return false; // any other option: let the command do it all
      }
    }
    if (path == null) {
      return false;
    }
    Serialization s =
        shard == null
            ? Serialization.defaults()
            : Serialization.shards(HashAlgorithm.SHA256, shard, WalkOptions.defaults());
    EarlyHash e = new EarlyHash(Path.of(path), s);
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

  /** The early result for exactly this model and serialization, or null. */
  static Manifest take(Path model, Serialization serialization) throws ModelsealException {
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
