package dev.modelseal.oci;

import dev.modelseal.ModelsealException;
import dev.modelseal.pin.StagedCopy;
import dev.modelseal.source.RangedFetch;
import dev.modelseal.walk.ResourceNames;
import dev.modelseal.walk.WalkOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Turns one layer into files: a raw layer is one file; a tar (or tar+gzip) layer is unpacked as a
 * stream through commons-compress, each entry checked before a byte of it is kept: regular files
 * only (symbolic and hard links, devices, FIFOs and other types refused), names that are safe
 * relative paths ({@code ..}, absolute names and backslashes refused, a leading {@code ./}
 * dropped), the walk's exclusions applied, the model's total unpacked size and file count bounded.
 * The blob itself is read to its end so that its OCI digest is checked ({@link BlobStream}).
 */
final class LayerReader {
  private static final int BUFFER = 256 * 1024;

  private final Repository repo;
  private final OciOptions options;
  private final AtomicLong totalBytes;
  private final AtomicLong files;
  private final AtomicBoolean abort;

  LayerReader(
      Repository repo,
      OciOptions options,
      AtomicLong totalBytes,
      AtomicLong files,
      AtomicBoolean abort) {
    this.repo = repo;
    this.options = options;
    this.totalBytes = totalBytes;
    this.files = files;
    this.abort = abort;
  }

  /** Reads {@code layer} into {@code sink}; returns the blob bytes read. */
  long read(Layer layer, FileSink sink, WalkOptions walk) throws ModelsealException {
    boolean raw = layer.packing() == MediaTypes.Packing.RAW;
    FileSink.File f = raw ? sink.newFile(layer.name(), layer.size()) : null;
    // A raw layer whose sink hashes SHA-256 anyway is hashed once: the file's digest is the blob's.
    boolean oneHash = raw && f.hashesSha256();
    if (oneHash
        && options.connectionsPerBlob() > 1
        && layer.size() >= 2 * options.partSize()
        && f.positional().isPresent()) {
      fetchParallel(layer, f, f.positional().get());
      return layer.size();
    }
    try (BlobStream blob = new BlobStream(repo, layer.descriptor(), abort, !oneHash)) {
      try {
        if (raw) {
          copy(blob, f, layer.size(), layer.name());
          blob.drainAndVerify();
          f.finish();
          if (oneHash) {
            blob.requireDigest(f.sha256().orElseThrow());
          }
        } else {
          unpack(layer, blob, sink, walk);
        }
      } catch (IOException e) {
        ModelsealException m = BlobStream.unwrap(e);
        if (m != null) {
          throw m;
        }
        throw new OciTransferException(
            repo.where(layer.descriptor().digest()),
            "layer " + layer.name() + ": " + RegistryClient.oneLine(e),
            e);
      }
      return blob.position();
    }
  }

  /**
   * A large raw layer over several connections ({@link RangedFetch}): ranged requests stored at
   * their positions and hashed in order by this thread; the one SHA-256 of the staged file is then
   * compared with the layer's digest, as on the in-order path.
   */
  private void fetchParallel(Layer layer, FileSink.File f, StagedCopy.StagedFile staged)
      throws ModelsealException {
    Descriptor d = layer.descriptor();
    String where = repo.where(d.digest());
    new RangedFetch(options.connectionsPerBlob(), options.partSize())
        .fetch(
            staged,
            (start, end) -> {
              try {
                return repo.openBlobRange(d.digest(), start, end, d.size());
              } catch (RegistryClient.Retryable e) {
                throw new IOException(e.getMessage(), e.getCause());
              }
            },
            (failures, reason, cause) -> repo.client().backoff(where, failures, reason, cause),
            abort,
            () -> new OciTransferException(where, "cancelled: another blob failed", null),
            n -> {});
    f.finish();
    String got = f.sha256().orElseThrow();
    if (!Repository.digestsEqual(got, d.digest())) {
      throw new OciIntegrityException(
          where,
          "the blob's bytes hash to "
              + got
              + ", not to its digest (replaced in the registry's storage, or a lying"
              + " descriptor)");
    }
  }

  private void copy(InputStream in, FileSink.File f, long size, String name)
      throws IOException, ModelsealException {
    byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, size))];
    long done = 0;
    while (done < size) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
      if (n < 0) {
        throw new IOException(name + ": ended after " + done + " of " + size + " bytes");
      }
      f.write(buf, 0, n);
      done += n;
    }
  }

  private void unpack(Layer layer, BlobStream blob, FileSink sink, WalkOptions walk)
      throws IOException, ModelsealException {
    String where = repo.where(layer.descriptor().digest()) + " (tar layer " + layer.name() + ")";
    InputStream raw =
        layer.packing() == MediaTypes.Packing.TAR_GZIP
            ? new GzipCompressorInputStream(new NoClose(blob), true)
            : new NoClose(blob);
    TarArchiveInputStream tar = new TarArchiveInputStream(raw);
    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
      String name = e.getName();
      while (name.startsWith("./")) {
        name = name.substring(2);
      }
      String shown = Descriptor.shorten(name);
      if (e.isSymbolicLink() || e.isLink()) {
        throw new OciIntegrityException(
            where,
            "entry '"
                + shown
                + "' is a link (to "
                + Descriptor.shorten(e.getLinkName())
                + "): refused");
      }
      if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        throw new OciIntegrityException(
            where, "entry '" + shown + "' is a device or FIFO: refused");
      }
      if (e.isDirectory()) {
        String dir = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        if (!dir.isEmpty() && !".".equals(dir)) {
          String bad = ResourceNames.check(dir);
          if (bad != null) {
            throw new OciIntegrityException(where, "entry '" + shown + "': " + bad + ": refused");
          }
        }
        continue;
      }
      if (!e.isFile()) {
        throw new OciIntegrityException(
            where, "entry '" + shown + "' is not a regular file: refused");
      }
      String bad = ResourceNames.check(name);
      if (bad != null) {
        throw new OciIntegrityException(where, "entry '" + shown + "': " + bad + ": refused");
      }
      long size = e.getSize();
      if (size < 0) {
        throw new OciIntegrityException(where, "entry '" + shown + "' has no size");
      }
      if (totalBytes.addAndGet(size) > options.maxTotalBytes()) {
        throw new OciTransferException(
            where, "model larger than the limit of " + options.maxTotalBytes() + " bytes", null);
      }
      if (files.incrementAndGet() > options.maxFiles()) {
        throw new OciTransferException(where, "more than " + options.maxFiles() + " files", null);
      }
      if (walk.isIgnored(name) || !walk.admits(name, false)) {
        tar.skipNBytes(size);
        continue;
      }
      FileSink.File f = sink.newFile(name, size);
      copy(tar, f, size, name);
      f.finish();
    }
    blob.drainAndVerify();
  }

  /** Keeps the wrappers from closing the blob (it is read to its end afterwards). */
  private static final class NoClose extends java.io.FilterInputStream {
    NoClose(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
