package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.cli.startup.EarlyHash;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestJson;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ModelWalker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code modelseal hash}: prints a model's OMS root digest and its pin, or the pin alone, or its
 * whole manifest.
 */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description = {
      "Print a model's OMS v1.0 root digest and its pin.",
      "The root, sha256:<hex>, is the digest the OpenSSF model_signing reference prints and signs."
          + " The pin, pin:v1:sha256:<hex>, also binds every file's name and size (docs/pins.md):"
          + " it is the value to give 'check --digest', 'pull --digest' and ModelPin.of.",
      "A signature file inside the directory (model.sig) is hashed like any other file; the"
          + " root a signature covers leaves it out, so give --ignore model.sig to print that root."
    },
    footer = {"", "Exit codes: 0 printed, 2 usage or input error."})
final class HashCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The model file or directory.")
  Path model;

  @Option(names = "--json", description = "Print the manifest: every resource's digest.")
  boolean json;

  @Option(names = "--pin", description = "Print the pin alone (pin:v1:sha256:<hex>).")
  boolean pinOnly;

  @Mixin HashOptions options = new HashOptions();

  @Override
  public Integer call() throws ModelsealException {
    Serialization s = options.serialization(model);
    Manifest early = EarlyHash.take(model, s);
    Manifest m = early != null ? early : hash(model, s);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.stream(out, g -> ManifestJson.write(m, g));
    } else {
      print(out, m, pinOnly);
    }
    return Main.OK;
  }

  /**
   * The plain output: the OMS root on the first line (what {@code model_signing digest} prints) and
   * the pin on the second, or the pin alone. Written in one piece and flushed, so that a reader
   * that stops after the first line ({@code grep -q}) does not make the second write fail.
   */
  static void print(PrintWriter out, Manifest m, boolean pinOnly) {
    String pin = m.pin().toString();
    out.print(pinOnly ? pin + "\n" : m.root() + "\n" + pin + "\n");
    out.flush();
  }

  static Manifest hash(Path model, Serialization s) throws ModelsealException {
    ModelTree tree = ModelWalker.with(s.walk()).walk(model);
    return ModelHasher.of(s).progress(Progress.forTask("hashing")).hash(tree);
  }
}
