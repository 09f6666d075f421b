package dev.modelseal.source;

import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.StagedCopy;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model in a store that lists resources and streams each one (S3, an OCI registry): the model is
 * read once, each byte hashed as it is written into a {@link StagedCopy}, and the pin compares the
 * result. A subclass only implements {@link #list} and {@link #transfer}; checking and opening are
 * the same for every store.
 *
 * <p>Guarantee: as {@link ModelSource}; a resource the store lists and the pin does not expect
 * fails as extra, one it expects and the store lacks as missing. Not checked here: the store's
 * {@link RemoteResource#knownDigest} (a subclass may check it while streaming; the pin checks the
 * bytes in any case).
 *
 * @param <R> the store's resource type
 */
public abstract class StreamedModelSource<R extends RemoteResource> implements ModelSource {
  /** For subclasses. */
  protected StreamedModelSource() {}

  /**
   * Lists the model's resources with {@code walk}'s exclusions applied.
   *
   * @throws ModelsealException when the listing fails or exceeds a limit
   */
  protected abstract List<R> list(WalkOptions walk) throws ModelsealException;

  /**
   * Streams each of {@code resources} into {@code into} (one {@link StagedCopy#newFile} each).
   *
   * @return the bytes transferred
   */
  protected abstract long transfer(List<R> resources, StagedCopy into) throws ModelsealException;

  /** Where private copies are staged ({@link #open}); null for the temporary directory. */
  protected Path stagingParent() {
    return null;
  }

  @Override
  public Optional<String> singleFileName() {
    return Optional.empty();
  }

  @Override
  public final Manifest check(ModelPin pin) throws ModelsealException {
    List<R> resources = list(pin.serialization().walk());
    try (StagedCopy copy = StagedCopy.hashOnly(pin.serialization(), modelName())) {
      transfer(resources, copy);
      return pin.check(copy);
    }
  }

  @Override
  public final VerifiedModel open(ModelPin pin) throws ModelsealException {
    List<R> resources = list(pin.serialization().walk());
    try (StagedCopy copy = StagedCopy.create(pin.serialization(), modelName(), stagingParent())) {
      transfer(resources, copy);
      return pin.verify(copy);
    }
  }
}
