package dev.modelseal.oms;

import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.ModelPin;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An OMS statement whose bundle signature verified under a {@link TrustPolicy}, read strictly after
 * the signature (OMS §8.3). Only {@link OmsVerifier} constructs one (the constructor is private and
 * held so by an ArchUnit rule), so a pin made from it ({@link #pin}) always comes from a signed
 * resource list. Immutable.
 *
 * <p>Guarantee: the signature covers the exact payload bytes this statement was read from; the
 * subject's root digest is the root of the listed resources; every resource name is a safe relative
 * path, listed once. Not checked: the model itself (that is what the pin is for), and who the
 * trusted signer is.
 */
public final class VerifiedStatement {
  private final OmsStatement statement;
  private final OmsBundle.Method method;
  private final Path source;

  private VerifiedStatement(OmsStatement statement, OmsBundle.Method method, Path source) {
    this.statement = statement;
    this.method = method;
    this.source = source;
  }

  /** For {@link OmsVerifier}, once the signature over {@code statement}'s bytes verified. */
  static VerifiedStatement afterSignature(
      OmsStatement statement, OmsBundle.Method method, Path source) {
    return new VerifiedStatement(statement, method, source);
  }

  /** The subject's name (the model's directory or file name when signed; empty for legacy). */
  public String modelName() {
    return statement.modelName();
  }

  /** The signed root digest. */
  public Digest root() {
    return statement.root();
  }

  /** The signed serialization (recorded ignore paths included). */
  public Serialization serialization() {
    return statement.serialization();
  }

  /** The signed resources, in listed order. */
  public List<ResourceDigest> resources() {
    return statement.resources();
  }

  /** True for a statement of {@link OmsFormat#LEGACY_PREDICATE_TYPE}. */
  public boolean legacy() {
    return statement.legacy();
  }

  /** The method the bundle was verified with. */
  public OmsBundle.Method method() {
    return method;
  }

  /** The signature file, when the bundle was read from one. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  /**
   * The pin the model must match: every signed name with its digest, the recorded serialization and
   * ignore paths plus {@code ignore}.
   *
   * @param singleFileName the model file's name when the model is a single file (a resource named
   *     {@code .}, the Python reference's name for it, then takes it)
   * @param ignore more paths to leave out, relative to the model root (the signature file's, when
   *     it lies inside the model)
   * @param ignoreUnsigned leave out files the statement does not list instead of failing on them
   */
  public ModelPin pin(
      Optional<String> singleFileName, List<String> ignore, boolean ignoreUnsigned) {
    return ModelBinding.pin(statement, singleFileName.orElse(null), ignore, ignoreUnsigned);
  }

  @Override
  public String toString() {
    return "VerifiedStatement[" + statement.modelName() + ", " + statement.root() + "]";
  }
}
