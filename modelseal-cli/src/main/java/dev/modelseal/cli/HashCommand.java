package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestJson;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ModelWalker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal hash}: prints a model's OMS root digest, or its whole manifest. */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description = {
      "Print the OMS v1.0 root digest of a model (a file or a directory): sha256:<hex>.",
      "The same digest the OpenSSF model_signing reference prints and signs."
    })
final class HashCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The model file or directory.")
  Path model;

  @Option(names = "--json", description = "Print the manifest: every resource's digest.")
  boolean json;

  @Mixin HashOptions options = new HashOptions();

  @Override
  public Integer call() throws ModelsealException {
    Serialization s = options.serialization(model);
    Manifest early = EarlyHash.take(model, s);
    Manifest m = early != null ? early : hash(model, s);
    if (json) {
      spec.commandLine().getOut().println(Json.pretty(ManifestJson.write(m)));
    } else {
      spec.commandLine().getOut().println(m.root());
    }
    return Main.OK;
  }

  static Manifest hash(Path model, Serialization s) throws ModelsealException {
    ModelTree tree = ModelWalker.with(s.walk()).walk(model);
    return ModelHasher.of(s).progress(Progress.forTask("hashing")).hash(tree);
  }
}
