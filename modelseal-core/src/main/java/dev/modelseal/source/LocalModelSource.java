package dev.modelseal.source;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model file or directory on a local file system. {@link #check} hashes it in place; {@link
 * #open} copies it into a private directory while hashing it (see {@link ModelPin#open(Path)}). Not
 * checked: that the files stay the same after {@link #check} returns (use {@link #open}).
 */
public final class LocalModelSource implements ModelSource {
  private final Path model;

  private LocalModelSource(Path model) {
    this.model = model;
  }

  /** The model at {@code model} (a file or a directory). */
  public static LocalModelSource of(Path model) {
    return new LocalModelSource(Objects.requireNonNull(model, "model"));
  }

  /** The default signature of a local model: {@code DIR/model.sig}, or {@code FILE.sig}. */
  public static Path defaultSignature(Path model) {
    if (Files.isDirectory(model)) {
      return model.resolve("model.sig");
    }
    Path name = model.getFileName();
    if (name != null && !name.toString().equals("..") && !name.toString().equals(".")) {
      return model.resolveSibling(name + ".sig"); // as the caller spelled it, for messages
    }
    Path abs = model.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + ".sig");
  }

  /**
   * {@code file}'s path relative to the directory {@code model} (with {@code /}) when it lies
   * strictly inside it, else null.
   */
  public static String pathInside(Path model, Path file) {
    if (!Files.isDirectory(model)) {
      return null;
    }
    Path root = model.toAbsolutePath().normalize();
    Path f = file.toAbsolutePath().normalize();
    if (!f.startsWith(root) || f.equals(root)) {
      return null;
    }
    return root.relativize(f).toString().replace('\\', '/');
  }

  /** The model's path. */
  public Path path() {
    return model;
  }

  @Override
  public String location() {
    return model.toString();
  }

  @Override
  public String modelName() {
    Path n = model.toAbsolutePath().normalize().getFileName();
    return n == null ? "" : n.toString();
  }

  @Override
  public Optional<String> singleFileName() {
    return Files.isRegularFile(model) ? Optional.of(modelName()) : Optional.empty();
  }

  /** Reads a local file; more than {@code maxBytes} yields {@code maxBytes + 1} bytes. */
  @Override
  public SignatureFile readSignature(String where, int maxBytes) throws ModelsealException {
    Path file = where != null ? Path.of(where) : defaultSignature(model);
    return SignatureFile.read(file, maxBytes, pathInside(model, file));
  }

  @Override
  public Manifest check(ModelPin pin) throws ModelsealException {
    return pin.check(model);
  }

  @Override
  public VerifiedModel open(ModelPin pin) throws ModelsealException {
    return pin.open(model);
  }

  @Override
  public String toString() {
    return "LocalModelSource[" + model + "]";
  }
}
