package dev.modelseal.s3;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.PublishCheck;
import dev.modelseal.pin.StagedCopy;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.source.ModelSource;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Pulls a model from an {@code s3://bucket/prefix} location and verifies it while it streams.
 *
 * <pre>{@code
 * try (S3ModelSource s3 = S3ModelSource.create(S3Options.defaults())) {
 *   PulledModel m = s3.pull(S3Uri.parse("s3://models/resnet"), ModelPin.of("pin:v1:sha256:4c1e..."),
 *       Path.of("/mnt/models/resnet"), false);
 * }
 * }</pre>
 *
 * <p>Guarantee: every object under the prefix (less the OMS default exclusions and the pin's ignore
 * paths) is listed, each key mapped to a resource name that is checked ({@code ..}, absolute paths
 * and backslashes are refused), and downloaded once; each byte is hashed as it is written into an
 * owner-only staging directory next to the target (see {@link StagedCopy}), so no second read
 * happens. The target appears, by one atomic rename, only when the streamed manifest matches the
 * pin, lock entry or verified signature; on any failure (mismatch, extra or missing object, network
 * error after the bounded retries, stall past the read timeout, a limit exceeded) the staging
 * directory is deleted, nothing appears at the target, and the exception names the object and the
 * reason. Each ranged request carries the listed ETag ({@code If-Match}), so an object replaced
 * mid-download fails instead of mixing two versions. Not checked: who may write the bucket (that is
 * what the pin or signature is for).
 *
 * <p>Credentials come from the AWS SDK's default provider chain (system properties, environment,
 * web identity as on EKS, profile, container and instance roles; with an endpoint override only the
 * first three and the profile); the region from {@link S3Options#region}, else {@code us-east-1}
 * for an S3-compatible endpoint, else {@code AWS_REGION} or the profile, else {@code us-east-1}.
 */
public final class S3ModelSource implements AutoCloseable {
  private final S3Client s3;
  private final Transfers transfers;

  private S3ModelSource(S3Client s3, S3Options options) {
    this.s3 = s3;
    this.transfers = new Transfers(s3, options);
  }

  /** A source with its own S3 client configured from {@code options}. */
  public static S3ModelSource create(S3Options options) {
    Objects.requireNonNull(options, "options");
    S3ClientBuilder b =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(options.connectTimeout())
                    .socketTimeout(options.readTimeout()))
            .credentialsProvider(credentials(options))
            .region(region(options))
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(options.pathStyle()).build())
            // Our own digests are what count; retries are ours too (bounded, resuming).
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (options.endpoint() != null) {
      b.endpointOverride(options.endpoint());
    }
    return new S3ModelSource(b.build(), options);
  }

  /** A source using a client the caller configured (and closes); limits from {@code options}. */
  public static S3ModelSource using(S3Client client, S3Options options) {
    return new S3ModelSource(Objects.requireNonNull(client), Objects.requireNonNull(options));
  }

  /**
   * The configured region; else, for AWS, the environment ({@code AWS_REGION}), system property or
   * profile (never the instance metadata service: no surprise network call); else, and always for
   * an S3-compatible endpoint without one, {@code us-east-1}.
   */
  /**
   * The SDK's default chain for AWS. With an endpoint override (an S3-compatible store) the chain
   * stops before the container and instance-metadata providers: system properties, environment,
   * profile; so no request leaves for a metadata address that such a store never serves.
   */
  private static AwsCredentialsProvider credentials(S3Options o) {
    if (o.endpoint() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return AwsCredentialsProviderChain.of(
        SystemPropertyCredentialsProvider.create(),
        EnvironmentVariableCredentialsProvider.create(),
        ProfileCredentialsProvider.create());
  }

  private static Region region(S3Options o) {
    if (o.region() != null) {
      return Region.of(o.region());
    }
    if (o.endpoint() != null) {
      return Region.US_EAST_1;
    }
    try {
      return new AwsRegionProviderChain(
              new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
          .getRegion();
    } catch (RuntimeException e) {
      return Region.US_EAST_1;
    }
  }

  /**
   * Downloads the model at {@code model} into a staging directory beside {@code target}, verifies
   * it against {@code pin} while it streams, and publishes {@code target} only on a match (see
   * {@link ModelPin#publish} for {@code replace} and for concurrent pulls: without {@code replace}
   * exactly one of two racing pulls publishes, the other fails with "target already exists").
   *
   * @throws dev.modelseal.pin.ModelMismatchException when the content does not match (nothing
   *     published)
   * @throws S3TransferException when an object cannot be listed or downloaded
   * @throws InvalidInputException when {@code target} exists and {@code replace} is false
   */
  public PulledModel pull(S3Uri model, ModelPin pin, Path target, boolean replace)
      throws ModelsealException {
    return pull(model, pin, target, replace, null);
  }

  /**
   * Like {@link #pull(S3Uri, ModelPin, Path, boolean)}, running {@code check} (may be null) on the
   * verified copy before it is published, for example a scan for code that would run on load: when
   * it throws, nothing is published, the staging directory is deleted and the exception propagates.
   */
  public PulledModel pull(
      S3Uri model, ModelPin pin, Path target, boolean replace, PublishCheck check)
      throws ModelsealException {
    Path abs = target.toAbsolutePath().normalize();
    if (abs.getParent() == null) {
      throw new InvalidInputException(abs, "cannot publish at the file system root");
    }
    if (!replace && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(abs, "target already exists (use --replace)");
    }
    S3Model source = new S3Model(this, transfers, model, null);
    List<Transfers.Entry> entries = source.list(pin.serialization().walk());
    try (StagedCopy copy =
        StagedCopy.create(pin.serialization(), abs.getFileName().toString(), abs.getParent())) {
      long bytes = source.transfer(entries, copy);
      Manifest m = pin.publish(copy, abs, replace, check);
      return new PulledModel(abs, m, bytes);
    }
  }

  /**
   * The model under {@code model} as a {@link ModelSource}, for {@link
   * dev.modelseal.oms.OmsVerifier} and {@link dev.modelseal.attest.AttestationVerifier}: signatures
   * are read as {@code s3://} objects (default: {@code model.sig} under the prefix, left out of the
   * model) or local files; private copies are staged in the temporary directory.
   */
  public ModelSource model(S3Uri model) {
    return new S3Model(this, transfers, Objects.requireNonNull(model), null);
  }

  /**
   * Downloads and verifies the model into a private directory under {@code stagingParent} (null for
   * the temporary directory) and returns a handle on exactly those bytes, deleted on close.
   */
  public VerifiedModel open(S3Uri model, ModelPin pin, Path stagingParent)
      throws ModelsealException {
    return new S3Model(this, transfers, model, stagingParent).open(pin);
  }

  /**
   * Streams and hashes the model where it is, keeping nothing.
   *
   * @return the manifest of the bytes read
   * @throws dev.modelseal.pin.ModelMismatchException when it does not match
   */
  public Manifest check(S3Uri model, ModelPin pin) throws ModelsealException {
    return model(model).check(pin);
  }

  /**
   * Reads one object of at most {@code maxBytes} (e.g. a signature bundle).
   *
   * @throws S3TransferException when it is missing, larger, or cannot be read
   */
  public byte[] readObject(S3Uri object, int maxBytes) throws ModelsealException {
    if (object.key().isEmpty()) {
      throw new InvalidInputException(null, object + ": names a bucket, not an object");
    }
    return transfers.readSmall(object.bucket(), object.key(), maxBytes);
  }

  /** Closes the client. */
  @Override
  public void close() {
    s3.close();
  }
}
