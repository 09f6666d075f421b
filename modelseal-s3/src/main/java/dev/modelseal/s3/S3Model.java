package dev.modelseal.s3;

import dev.modelseal.ModelsealException;
import dev.modelseal.pin.StagedCopy;
import dev.modelseal.source.SignatureFile;
import dev.modelseal.source.StreamedModelSource;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * The model under one {@code s3://bucket/prefix}, as a {@link dev.modelseal.source.ModelSource}:
 * its objects listed (each key mapped to a checked resource name) and streamed by {@link
 * Transfers}; signatures and attestations read as {@code s3://} objects or local files.
 */
final class S3Model extends StreamedModelSource<Transfers.Entry> {
  private final S3ModelSource store;
  private final Transfers transfers;
  private final S3Uri uri;
  private final Path stagingParent;

  S3Model(S3ModelSource store, Transfers transfers, S3Uri uri, Path stagingParent) {
    this.store = store;
    this.transfers = transfers;
    this.uri = uri;
    this.stagingParent = stagingParent;
  }

  @Override
  public String location() {
    return uri.toString();
  }

  @Override
  public String modelName() {
    return uri.modelName();
  }

  /**
   * Reads an {@code s3://} object (a larger one fails as a transfer error) or a local file; null
   * for {@code model.sig} under the prefix. An object under the model's prefix is left out of the
   * model.
   */
  @Override
  public SignatureFile readSignature(String where, int maxBytes) throws ModelsealException {
    String location = where != null ? where : uri + "/model.sig";
    if (!S3Uri.looksLikeS3(location)) {
      return SignatureFile.read(Path.of(location), maxBytes, null);
    }
    S3Uri sig = S3Uri.parse(location);
    byte[] bytes = store.readObject(sig, maxBytes);
    String prefix = uri.listingPrefix();
    String inside =
        sig.bucket().equals(uri.bucket())
                && sig.key().startsWith(prefix)
                && sig.key().length() > prefix.length()
            ? sig.key().substring(prefix.length())
            : null;
    return SignatureFile.of(bytes, Path.of(sig.modelName()), inside);
  }

  @Override
  protected List<Transfers.Entry> list(WalkOptions walk) throws ModelsealException {
    return transfers.list(uri, walk);
  }

  @Override
  protected long transfer(List<Transfers.Entry> resources, StagedCopy into)
      throws ModelsealException {
    return transfers.download(uri, resources, into);
  }

  @Override
  protected Path stagingParent() {
    return stagingParent;
  }

  @Override
  public String toString() {
    return "S3Model[" + uri + "]";
  }
}
