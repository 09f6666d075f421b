package dev.modelseal.cli;

import dev.modelseal.manifest.HashProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error, shown only when standard error is a terminal and the model is
 * large enough to be worth watching; otherwise silent, so pipes and CI logs stay clean.
 */
final class Progress implements HashProgress {
  /** Below this many bytes no bar is shown. */
  static final long THRESHOLD = 256L * 1024 * 1024;

  private final String task;
  private volatile ProgressBar bar;

  private Progress(String task) {
    this.task = task;
  }

  /** A progress observer for {@code task}; a no-op when standard error is not a terminal. */
  static HashProgress forTask(String task) {
    return stderrIsTerminal() ? new Progress(task) : HashProgress.NONE;
  }

  @Override
  public void start(long totalBytes) {
    if (totalBytes < THRESHOLD) {
      return;
    }
    bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(totalBytes)
            .setUnit(" MiB", 1024 * 1024)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .showSpeed()
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
  }

  @Override
  public void advance(long bytes) {
    ProgressBar b = bar;
    if (b != null) {
      b.stepBy(bytes);
    }
  }

  @Override
  public void finish() {
    ProgressBar b = bar;
    if (b != null) {
      b.close();
      bar = null;
    }
  }

  /** Linux: standard error is a terminal when fd 2 links to a tty device. */
  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
