package dev.modelseal.pin;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelTree;
import dev.modelseal.walk.ModelWalker;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The digest a model must have, fixed in source code or a lock file, and the only way to get a
 * model's content as a {@link VerifiedModel}.
 *
 * <pre>{@code
 * try (VerifiedModel m = ModelPin.of("pin:v1:sha256:4c1e07...").open(Path.of("models/resnet"))) {
 *   byte[] onnx = m.readAllBytes("model.onnx");   // exactly the bytes that were hashed
 * }
 * }</pre>
 *
 * <p>Guarantee: {@link #open} and {@link #openInMemory} read each file once; the bytes they hash
 * are the bytes they keep (a private copy on disk, or memory), and the handle is returned only when
 * the pin matches (constant-time comparison). A pin ({@link PinDigest}) or a manifest binds each
 * file's name as well as its digest; a bare OMS root ({@link #ofOmsRoot}, a named relaxation) does
 * not. A file modified or replaced after that read never reaches the caller; one modified during it
 * makes the digest differ, so verification fails. Not checked: who made the pin (see signatures for
 * that).
 */
public final class ModelPin {
  private final PinDigest pin;
  private final Digest root;
  private final Serialization serialization;
  private final Manifest expected;
  private final HashProgress progress;

  private ModelPin(
      PinDigest pin,
      Digest root,
      Serialization serialization,
      Manifest expected,
      HashProgress progress) {
    this.pin = pin;
    this.root = root;
    this.serialization = serialization;
    this.expected = expected;
    this.progress = progress;
  }

  /**
   * A pin written {@code pin:v1:sha256:<64 hex digits>} (the second line of {@code modelseal
   * hash}), with the default serialization (files, SHA-256, git exclusions, no symbolic links). It
   * binds every file's name, size and digest, so renamed files do not match.
   *
   * @throws IllegalArgumentException when the pin is malformed, or is a bare OMS root digest
   *     ({@code sha256:...}), which does not bind file names: see {@link #ofOmsRoot(String)}
   */
  public static ModelPin of(String pin) {
    if (!PinDigest.looksLikePin(pin) && PinDigest.isOmsRoot(pin)) {
      throw new IllegalArgumentException(
          pin
              + " is an OMS root digest, which does not bind file names (two files renamed so"
              + " that their order stays the same keep it): pin the pin:v1:sha256:... line of"
              + " 'modelseal hash', or accept the root knowingly with ModelPin.ofOmsRoot");
    }
    return of(PinDigest.parse(pin));
  }

  /** A pin of {@code pin} with the default serialization. */
  public static ModelPin of(PinDigest pin) {
    return new ModelPin(
        Objects.requireNonNull(pin), null, Serialization.defaults(), null, HashProgress.NONE);
  }

  /**
   * Relaxation: a pin of a bare OMS root digest ({@code sha256:<64 hex digits>}, what {@code
   * model_signing digest} prints), with the default serialization. The root covers the files'
   * digests in name order but not their names: renaming {@code model.onnx} to {@code model-a.onnx}
   * and {@code model_old.onnx} to {@code model.onnx} keeps it, so the old file is then read as
   * {@code model.onnx}. Use it only where the names cannot be changed by whoever can change the
   * files; prefer {@link #of(String)} with a pin.
   *
   * @throws IllegalArgumentException when the digest is malformed or not SHA-256
   */
  public static ModelPin ofOmsRoot(String rootDigest) {
    return ofOmsRoot(Digest.parse(rootDigest));
  }

  /** Relaxation: see {@link #ofOmsRoot(String)}. */
  public static ModelPin ofOmsRoot(Digest root) {
    if (!"sha256".equals(root.algorithm()) || root.bytes().length != 32) {
      throw new IllegalArgumentException("a root digest is sha256:<64 hex digits>");
    }
    return new ModelPin(null, root, Serialization.defaults(), null, HashProgress.NONE);
  }

  /**
   * A pin of a full manifest (from a lock file or a signature): every resource is compared by name,
   * so names are bound, and on a mismatch the error names each modified, missing and extra file.
   */
  public static ModelPin of(Manifest expected) {
    return new ModelPin(null, null, expected.serialization(), expected, HashProgress.NONE);
  }

  /**
   * The same pin hashed with {@code s} (hash, method, ignore paths, symbolic links). A pin covers
   * the method, hash, shard size and ignore paths it was made with, so {@code s} must be that one.
   */
  public ModelPin withSerialization(Serialization s) {
    if (expected != null) {
      throw new IllegalStateException("a manifest pin carries its own serialization");
    }
    return new ModelPin(pin, root, Objects.requireNonNull(s), null, progress);
  }

  /** The same pin, also excluding these paths (relative to the model root). */
  public ModelPin ignoring(String... paths) {
    return withSerialization(serialization.withWalk(serialization.walk().ignoring(List.of(paths))));
  }

  /** The same pin reporting hashing progress to {@code p}. */
  public ModelPin withProgress(HashProgress p) {
    return new ModelPin(pin, root, serialization, expected, Objects.requireNonNull(p));
  }

  /**
   * What is pinned, as written: {@code pin:v1:sha256:...} for a pin, {@code sha256:...} for an OMS
   * root or a manifest (its root; the manifest's names are compared too).
   */
  public String expected() {
    if (pin != null) {
      return pin.toString();
    }
    return (root != null ? root : expected.root()).toString();
  }

  /** How the model is hashed. */
  public Serialization serialization() {
    return serialization;
  }

  /**
   * Checks the model where it is, without handing out its content: for the {@code check} command
   * and for health checks. Loaders must use {@link #open} instead.
   *
   * @return the manifest of the model as read
   * @throws ModelMismatchException when it does not match
   */
  public Manifest check(Path model) throws ModelsealException {
    ModelTree tree = ModelWalker.with(serialization.walk()).walk(model);
    Manifest actual = hasher().hash(tree);
    requireMatch(model, actual);
    return actual;
  }

  /**
   * Checks a manifest the caller computed of {@code model} with a serialization that {@link
   * Serialization#hashesLike hashes like} this pin's: for verifiers that hash the model while they
   * check a signature. Like {@link #check(Path)}, it hands out no content.
   *
   * @throws IllegalArgumentException when {@code actual} was computed another way
   * @throws ModelMismatchException when it does not match
   */
  public Manifest check(Path model, Manifest actual) throws ModelsealException {
    if (!serialization.hashesLike(actual.serialization())) {
      throw new IllegalArgumentException("the manifest was computed with another serialization");
    }
    requireMatch(model, actual);
    return actual;
  }

  /**
   * Verifies the model while copying it into a new private directory under the system temporary
   * directory, and returns a handle on that copy. Memory stays flat whatever the model size.
   */
  public VerifiedModel open(Path model) throws ModelsealException {
    return open(model, null);
  }

  /**
   * Like {@link #open(Path)}, with the private directory created under {@code stagingParent}
   * (choose one on the same file system as the model's consumer; null for the temporary directory).
   */
  public VerifiedModel open(Path model, Path stagingParent) throws ModelsealException {
    ModelTree tree = ModelWalker.with(serialization.walk()).walk(model);
    PrivateCopy copy = PrivateCopy.create(model, stagingParent);
    try {
      Manifest actual = hasher().hash(tree, copy);
      copy.seal(tree);
      requireMatch(model, actual);
      VerifiedModel m = VerifiedModel.onDisk(actual, tree, copy.directory());
      copy = null;
      return m;
    } finally {
      if (copy != null) {
        copy.discard();
      }
    }
  }

  /**
   * Verifies the model while reading it into memory, and returns a handle on those bytes. For
   * models that fit in the heap; each file must be smaller than 2 GiB.
   */
  public VerifiedModel openInMemory(Path model) throws ModelsealException {
    ModelTree tree = ModelWalker.with(serialization.walk()).walk(model);
    InMemoryCopy copy = InMemoryCopy.allocate(tree);
    Manifest actual = hasher().hash(tree, copy);
    requireMatch(model, actual);
    return VerifiedModel.inMemory(actual, tree, copy.contents());
  }

  /**
   * Checks a copy that was hashed while it streamed in (see {@link StagedCopy}), keeping nothing:
   * for checking a remote model in place.
   *
   * @return the manifest of the bytes received
   * @throws ModelMismatchException when it does not match
   */
  public Manifest check(StagedCopy streamed) throws ModelsealException {
    Manifest actual = streamed.manifest();
    requireMatch(null, actual);
    return actual;
  }

  /**
   * Verifies a copy that was hashed while it streamed into its private staging directory, and
   * returns a handle on those files (deleted on close). The digests compared are the ones {@link
   * StagedCopy} computed from the very bytes it wrote, so the guarantee of {@link #open} holds: the
   * bytes handed out are the bytes that were hashed, and they are handed out only on a match.
   *
   * @throws ModelMismatchException when it does not match (the caller then closes the copy, which
   *     deletes it)
   */
  public VerifiedModel verify(StagedCopy streamed) throws ModelsealException {
    Path dir = streamed.directory().orElseThrow(() -> new IllegalStateException("hash-only copy"));
    Manifest actual = streamed.manifest();
    requireMatch(dir, actual);
    streamed.seal();
    VerifiedModel m = VerifiedModel.onDisk(actual, streamed.tree(dir), dir, streamed.wrapper());
    streamed.handOver();
    return m;
  }

  /**
   * Verifies a streamed copy and, only when it matches, publishes it at {@code target} by renaming
   * its staging directory (which must be a sibling of {@code target}, so the rename is atomic on
   * one file system). Published files are read-only for everyone, directories {@code rwxr-xr-x};
   * until the rename they sit inside an owner-only directory, so nobody sees or changes them early.
   *
   * <p>Without {@code replace} an existing {@code target} is refused; when two publishers race,
   * exactly one rename succeeds (a non-empty directory is never replaced by {@code rename(2)}) and
   * the other fails with "target already exists". With {@code replace} the old directory is first
   * renamed away into the private staging area, then the new one renamed in, then the old one
   * deleted: readers see the old model, then briefly no directory, then the new model, never a mix
   * (POSIX has no portable atomic exchange of two directories).
   *
   * @return the manifest of the published content
   * @throws ModelMismatchException when it does not match (nothing is published)
   * @throws InvalidInputException when {@code target} exists and {@code replace} is false
   */
  public Manifest publish(StagedCopy streamed, Path target, boolean replace)
      throws ModelsealException {
    return publish(streamed, target, replace, null);
  }

  /**
   * Like {@link #publish(StagedCopy, Path, boolean)}, running {@code check} (may be null) on the
   * verified, sealed copy before it is published: when the check throws, nothing is published and
   * the exception propagates (the caller's {@link StagedCopy#close()} deletes the copy).
   */
  public Manifest publish(StagedCopy streamed, Path target, boolean replace, PublishCheck check)
      throws ModelsealException {
    Path dir = streamed.directory().orElseThrow(() -> new IllegalStateException("hash-only copy"));
    Path abs = target.toAbsolutePath().normalize();
    Path wrapper = streamed.wrapper();
    if (abs.getParent() == null
        || !abs.getParent().equals(wrapper.toAbsolutePath().normalize().getParent())) {
      throw new IllegalArgumentException("the staging directory must be a sibling of the target");
    }
    Manifest actual = streamed.manifest();
    requireMatch(target, actual);
    streamed.seal();
    if (check != null) {
      try (VerifiedModel view = VerifiedModel.borrowed(actual, streamed.tree(dir), dir)) {
        check.check(view);
      }
    }
    Publisher.publish(dir, wrapper, abs, replace);
    streamed.handOver();
    return actual;
  }

  private ModelHasher hasher() {
    return ModelHasher.of(serialization).progress(progress);
  }

  private void requireMatch(Path model, Manifest actual) throws ModelsealException {
    if (expected != null) {
      ManifestComparison c = ManifestComparison.compare(expected, actual);
      if (!c.matches()) {
        throw ModelMismatchException.ofManifest(model, expected.root(), actual.root(), c);
      }
    } else if (pin != null) {
      PinDigest found = actual.pin();
      if (!pin.matches(found)) {
        throw ModelMismatchException.ofPin(model, pin, found);
      }
    } else if (!root.matches(actual.root())) {
      throw ModelMismatchException.ofManifest(model, root, actual.root(), null);
    }
  }

  /**
   * The pin of what this pins, when it binds names: the pin itself, or the pin of the expected
   * manifest (when its sizes are known). Empty for an OMS root pin.
   */
  public java.util.Optional<PinDigest> pin() {
    if (pin != null) {
      return java.util.Optional.of(pin);
    }
    if (expected != null && expected.resources().stream().allMatch(r -> r.size() >= 0)) {
      return java.util.Optional.of(expected.pin());
    }
    return java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return "ModelPin[" + expected() + "]";
  }
}
