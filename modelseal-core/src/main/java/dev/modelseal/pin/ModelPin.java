package dev.modelseal.pin;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.manifest.ModelHasher;
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
 * try (VerifiedModel m = ModelPin.of("sha256:9f86d0...").open(Path.of("models/resnet"))) {
 *   byte[] onnx = m.readAllBytes("model.onnx");   // exactly the bytes that were hashed
 * }
 * }</pre>
 *
 * <p>Guarantee: {@link #open} and {@link #openInMemory} read each file once; the bytes they hash
 * are the bytes they keep (a private copy on disk, or memory), and the handle is returned only when
 * the root digest matches the pin (constant-time comparison). A file modified or replaced after
 * that read never reaches the caller; one modified during it makes the digest differ, so
 * verification fails. Not checked: who made the pin (see signatures for that).
 */
public final class ModelPin {
  private final Digest root;
  private final Serialization serialization;
  private final Manifest expected;
  private final HashProgress progress;

  private ModelPin(
      Digest root, Serialization serialization, Manifest expected, HashProgress progress) {
    this.root = root;
    this.serialization = serialization;
    this.expected = expected;
    this.progress = progress;
  }

  /**
   * A pin of a root digest written {@code sha256:<64 hex digits>}, with the default serialization
   * (files, SHA-256, git exclusions, no symbolic links).
   *
   * @throws IllegalArgumentException when the digest is malformed or not SHA-256
   */
  public static ModelPin of(String rootDigest) {
    return of(Digest.parse(rootDigest));
  }

  /** A pin of {@code root} (a SHA-256 OMS root digest) with the default serialization. */
  public static ModelPin of(Digest root) {
    if (!"sha256".equals(root.algorithm()) || root.bytes().length != 32) {
      throw new IllegalArgumentException("a root digest is sha256:<64 hex digits>");
    }
    return new ModelPin(root, Serialization.defaults(), null, HashProgress.NONE);
  }

  /**
   * A pin of a full manifest (from a lock file or a signature): its root is checked, and on a
   * mismatch the error names each modified, missing and extra file.
   */
  public static ModelPin of(Manifest expected) {
    return new ModelPin(expected.root(), expected.serialization(), expected, HashProgress.NONE);
  }

  /** The same root pin hashed with {@code s} (hash, method, ignore paths, symbolic links). */
  public ModelPin withSerialization(Serialization s) {
    if (expected != null) {
      throw new IllegalStateException("a manifest pin carries its own serialization");
    }
    return new ModelPin(root, Objects.requireNonNull(s), null, progress);
  }

  /** The same pin, also excluding these paths (relative to the model root). */
  public ModelPin ignoring(String... paths) {
    return withSerialization(serialization.withWalk(serialization.walk().ignoring(List.of(paths))));
  }

  /** The same pin reporting hashing progress to {@code p}. */
  public ModelPin withProgress(HashProgress p) {
    return new ModelPin(root, serialization, expected, Objects.requireNonNull(p));
  }

  /** The pinned root digest. */
  public Digest root() {
    return root;
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
        throw new ModelMismatchException(model, root, actual.root(), c);
      }
      return;
    }
    if (!root.matches(actual.root())) {
      throw new ModelMismatchException(model, root, actual.root(), null);
    }
  }

  @Override
  public String toString() {
    return "ModelPin[" + root + "]";
  }
}
