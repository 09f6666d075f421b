package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.pin.VerifiedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The weight content digest of a model when one of the format readers can read it: the model
 * itself, or the one file of a single-file directory. Empty when no reader applies (the model is
 * then attested by its file digests alone).
 */
final class WeightDigests {
  private WeightDigests() {}

  /** The weight content digest of the verified private copy (empty for an in-memory handle). */
  static Optional<Digest> contentDigest(VerifiedModel model) throws ModelsealException {
    if (model.directory().isEmpty()) {
      return Optional.empty();
    }
    return model.isSingleFile()
        ? tryRead(model.file(model.fileNames().get(0)))
        : contentDigest(model.directory().get());
  }

  static Optional<Digest> contentDigest(Path model) throws ModelsealException {
    Optional<Digest> d = tryRead(model);
    if (d.isPresent() || !Files.isDirectory(model)) {
      return d;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(model)) {
      files = s.filter(Files::isRegularFile).limit(2).toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    return files.size() == 1 ? tryRead(files.get(0)) : Optional.empty();
  }

  private static Optional<Digest> tryRead(Path p) throws ModelsealException {
    try (TensorModel m = FormatDetector.create().open(p)) {
      return Optional.of(Fingerprinter.create().fingerprint(m).content());
    } catch (FormatException e) {
      return Optional.empty();
    }
  }
}
