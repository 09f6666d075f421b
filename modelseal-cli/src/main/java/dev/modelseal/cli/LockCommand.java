package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.LockEntry;
import dev.modelseal.pin.ModelLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal lock}: records models' root and per-file digests in a lock file. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = {
      "Write a lock file with each model's root digest, pin and per-file digests.",
      "It is read by 'modelseal check --lock', 'modelseal pull --lock' and"
          + " ModelLock.fromClasspath(...). The digest lines are printed once the file is written."
    },
    footer = {"", "Exit codes: 0 written, 2 usage or input error."})
final class LockCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Model files or directories.")
  List<Path> models;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      defaultValue = "modelseal.lock",
      description = "The lock file to write (default: ${DEFAULT-VALUE}); written atomically.")
  Path output;

  @Mixin HashOptions options = new HashOptions();

  @Override
  public Integer call() throws ModelsealException {
    Path lockDir = output.toAbsolutePath().normalize().getParent();
    List<LockEntry> entries = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (Path model : models) {
      Manifest m = HashCommand.hash(model, options.serialization(model));
      entries.add(new LockEntry(recordedPath(lockDir, model), m));
      lines.append(m.root()).append("  ").append(model).append('\n');
    }
    ModelLock.of(entries).write(output);
    // Only once the lock file is written: a failed write prints no digest that looks like success.
    spec.commandLine().getOut().print(lines);
    spec.commandLine().getOut().flush();
    return Main.OK;
  }

  /** The model's path relative to the lock file's directory when below it, else absolute. */
  static String recordedPath(Path lockDir, Path model) {
    Path abs = model.toAbsolutePath().normalize();
    Path p = lockDir != null && abs.startsWith(lockDir) ? lockDir.relativize(abs) : abs;
    String s = p.toString().replace('\\', '/');
    return s.isEmpty() ? "." : s;
  }
}
