package dev.modelseal.oci;

import dev.modelseal.ModelsealException;
import dev.modelseal.oms.OmsBundle;
import dev.modelseal.pin.StagedCopy;
import dev.modelseal.source.RangedFetch;
import dev.modelseal.source.SignatureFile;
import dev.modelseal.source.StreamedModelSource;
import dev.modelseal.walk.ResourceNames;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model's manifest in a registry, resolved once to its digest (every later read uses that digest,
 * so a tag moved meanwhile cannot mix two models), as a {@link dev.modelseal.source.ModelSource}:
 * layers listed as resources, each blob streamed through {@link LayerReader} into the staged copy
 * (on a bounded pool, largest first). Signatures: a local file, or the OMS bundle attached to this
 * manifest as a referrer ({@link Referrers}).
 */
final class OciModel extends StreamedModelSource<Layer> {
  /** {@code readSignature} location naming one attached bundle: this prefix and its digest. */
  static final String REFERRER = "oci-referrer:";

  private final Repository repo;
  private final OciReference asked;
  private final OciReference pinned;
  private final OciManifest manifest;
  private final int manifestSize;
  private final OciOptions options;
  private final Path stagingParent;

  OciModel(
      Repository repo,
      OciReference asked,
      OciManifest manifest,
      int manifestSize,
      OciOptions options,
      Path stagingParent) {
    this.repo = repo;
    this.asked = asked;
    this.pinned = asked.atDigest(manifest.digest());
    this.manifest = manifest;
    this.manifestSize = manifestSize;
    this.options = options;
    this.stagingParent = stagingParent;
  }

  OciManifest manifest() {
    return manifest;
  }

  int manifestSize() {
    return manifestSize;
  }

  Repository repository() {
    return repo;
  }

  /** The reference at the resolved manifest digest. */
  OciReference pinned() {
    return pinned;
  }

  @Override
  public String location() {
    return asked.toString();
  }

  @Override
  public String modelName() {
    return asked.modelName();
  }

  /**
   * A local file; {@code oci-referrer:sha256:...} for one bundle attached to this manifest; null
   * for the newest attached bundle.
   */
  @Override
  public SignatureFile readSignature(String where, int maxBytes) throws ModelsealException {
    if (where != null && !where.startsWith(REFERRER)) {
      return SignatureFile.read(Path.of(where), maxBytes, null);
    }
    Referrers refs = new Referrers(repo);
    String digest;
    if (where != null) {
      digest = where.substring(REFERRER.length());
    } else {
      List<String> found = refs.bundles(manifest.digest());
      if (found.isEmpty()) {
        throw Referrers.noSignature(pinned);
      }
      digest = found.get(found.size() - 1);
    }
    byte[] bytes = refs.bundle(manifest.digest(), digest, maxBytes);
    return SignatureFile.of(bytes, Path.of(pinned.modelName() + "@" + digest), null);
  }

  /** The layers of the model (config left out), names checked, exclusions applied. */
  @Override
  protected List<Layer> list(WalkOptions walk) throws ModelsealException {
    return layers(manifest, walk, options, repo.where(manifest.digest()));
  }

  static List<Layer> layers(OciManifest m, WalkOptions walk, OciOptions options, String where)
      throws ModelsealException {
    List<Layer> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long total = 0;
    int i = 0;
    for (Descriptor d : m.layers()) {
      String at = where + " layer " + i++;
      MediaTypes.Packing p = MediaTypes.packing(d);
      if (p == MediaTypes.Packing.UNSUPPORTED) {
        throw new OciTransferException(at, "unsupported layer media type " + d.mediaType(), null);
      }
      String name =
          d.annotation(MediaTypes.MODELPACK_FILEPATH)
              .or(() -> d.annotation(MediaTypes.TITLE))
              .orElse(null);
      if (name == null) {
        throw new OciTransferException(
            at, "no " + MediaTypes.TITLE + " annotation: the layer names no file", null);
      }
      while (name.startsWith("./")) {
        name = name.substring(2);
      }
      String bad = ResourceNames.check(name);
      if (bad != null) {
        throw new OciIntegrityException(
            at, "refused file name '" + Descriptor.shorten(name) + "': " + bad);
      }
      total += d.size();
      if (total > options.maxTotalBytes() || total < 0) {
        throw new OciTransferException(
            at, "model larger than the limit of " + options.maxTotalBytes() + " bytes", null);
      }
      if (out.size() >= options.maxFiles()) {
        throw new OciTransferException(at, "more than " + options.maxFiles() + " layers", null);
      }
      if (p == MediaTypes.Packing.RAW && (walk.isIgnored(name) || !walk.admits(name, false))) {
        continue;
      }
      if (p == MediaTypes.Packing.RAW && !names.add(name)) {
        throw new OciIntegrityException(
            at, "two layers name the file '" + Descriptor.shorten(name) + "'");
      }
      out.add(new Layer(d, name, p));
    }
    if (out.isEmpty()) {
      throw new OciTransferException(where, "the manifest has no model layers", null);
    }
    for (String n : names) {
      for (int s = n.indexOf('/'); s > 0; s = n.indexOf('/', s + 1)) {
        if (names.contains(n.substring(0, s))) {
          throw new OciIntegrityException(
              where, "'" + n.substring(0, s) + "' is both a file and the folder of " + n);
        }
      }
    }
    return out;
  }

  @Override
  protected long transfer(List<Layer> resources, StagedCopy into) throws ModelsealException {
    WalkOptions walk = into.serialization().walk();
    FileSink sink = stagedSink(into);
    return readAll(resources, sink, walk);
  }

  /** Reads every layer into {@code sink} on a bounded pool; returns the blob bytes read. */
  long readAll(List<Layer> resources, FileSink sink, WalkOptions walk) throws ModelsealException {
    List<Layer> sorted = new ArrayList<>(resources);
    sorted.sort(Comparator.comparingLong(Layer::size).reversed());
    AtomicBoolean abort = new AtomicBoolean();
    AtomicLong total = new AtomicLong();
    AtomicLong files = new AtomicLong();
    for (Layer l : sorted) {
      if (l.packing() == MediaTypes.Packing.RAW) {
        total.addAndGet(l.size());
        files.incrementAndGet();
      }
    }
    int n = Math.min(options.parallelism(), sorted.size());
    // Measured (benchmarks/README.md): a pull of 4 layers of 256 MiB from a local registry took
    // 2.0-2.5 s on 4 x 4 connections, 1.6-1.9 s on 4 x 1.
    int large = 0;
    for (Layer l : sorted) {
      if (l.packing() == MediaTypes.Packing.RAW && l.size() >= 2 * options.partSize()) {
        large++;
      }
    }
    int perBlob =
        RangedFetch.connectionsPerObject(
            options.connectionsPerBlob(), options.parallelism(), large);
    LayerReader reader =
        new LayerReader(
            repo, options.connectionsPerBlob(perBlob, options.partSize()), total, files, abort);
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "modelseal-oci-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (Layer l : sorted) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    return reader.read(l, sink, walk);
                  } catch (ModelsealException | RuntimeException e) {
                    abort.set(true);
                    throw e;
                  }
                }));
      }
      ModelsealException first = null;
      long bytes = 0;
      for (Future<Long> f : futures) {
        try {
          bytes += f.get();
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof ModelsealException m) {
            // the first real failure, not a "cancelled" that followed it
            if (first == null || first.getMessage().contains("cancelled: another blob failed")) {
              first = m;
            }
          } else if (c instanceof RuntimeException r) {
            throw r;
          } else {
            throw new IllegalStateException(c);
          }
        } catch (InterruptedException e) {
          abort.set(true);
          Thread.currentThread().interrupt();
          throw new OciTransferException(location(), "interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
      return bytes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static FileSink stagedSink(StagedCopy copy) {
    boolean sha256Files =
        copy.serialization().method() == dev.modelseal.manifest.Serialization.Method.FILES
            && copy.serialization().hash() == dev.modelseal.digest.HashAlgorithm.SHA256;
    return (name, size) -> {
      StagedCopy.StagedFile f = copy.newFile(name, size);
      return new FileSink.File() {
        @Override
        public boolean hashesSha256() {
          return sha256Files;
        }

        @Override
        public Optional<String> sha256() {
          return sha256Files ? f.fileDigest().map(Object::toString) : Optional.empty();
        }

        @Override
        public Optional<StagedCopy.StagedFile> positional() {
          return f.positional() ? Optional.of(f) : Optional.empty();
        }

        @Override
        public void write(byte[] b, int off, int len) throws ModelsealException {
          f.write(b, off, len);
        }

        @Override
        public void finish() throws ModelsealException {
          f.finish();
        }
      };
    };
  }

  @Override
  protected Path stagingParent() {
    return stagingParent;
  }

  /** The bundle size limit verification reads. */
  static int maxBundleBytes() {
    return OmsBundle.DEFAULT_MAX_BYTES;
  }

  Optional<String> tag() {
    return asked.tag();
  }

  @Override
  public String toString() {
    return "OciModel[" + pinned + "]";
  }
}
