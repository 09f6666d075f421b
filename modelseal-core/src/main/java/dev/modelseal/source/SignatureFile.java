package dev.modelseal.source;

import dev.modelseal.ModelIoException;
import dev.modelseal.internal.RegularFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The bytes of a signature or attestation file as a {@link ModelSource} read them, unverified.
 * Immutable; the bytes are copied in and out.
 */
public final class SignatureFile {
  private final byte[] bytes;
  private final Path name;
  private final String insideModel;

  private SignatureFile(byte[] bytes, Path name, String insideModel) {
    this.bytes = bytes.clone();
    this.name = Objects.requireNonNull(name, "name");
    this.insideModel = insideModel;
  }

  /**
   * A file read from {@code name}.
   *
   * @param insideModel its path relative to the model root when it lies inside the model, else null
   */
  public static SignatureFile of(byte[] bytes, Path name, String insideModel) {
    return new SignatureFile(bytes, name, insideModel);
  }

  /**
   * Reads a local file of at most {@code maxBytes}: a larger one yields {@code maxBytes + 1} bytes
   * (without reading it), which the verifier refuses as too large.
   *
   * @param insideModel its path relative to the model root when it lies inside the model, else null
   * @throws ModelIoException when it cannot be read
   */
  public static SignatureFile read(Path file, int maxBytes, String insideModel)
      throws ModelIoException {
    byte[] bytes;
    try {
      if (RegularFiles.requireRegular(file) > maxBytes) {
        bytes = new byte[maxBytes + 1];
      } else {
        try (InputStream in = Files.newInputStream(file)) {
          bytes = in.readNBytes(maxBytes + 1);
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    return new SignatureFile(bytes, file, insideModel);
  }

  /** A copy of the bytes as read. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The file's name in messages (a path, or the object's name). */
  public Path name() {
    return name;
  }

  /** Its path relative to the model root when it lies inside the model. */
  public Optional<String> insideModel() {
    return Optional.ofNullable(insideModel);
  }
}
