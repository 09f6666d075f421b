package dev.modelseal.oci;

/** The media types and annotation keys this module reads and writes. */
final class MediaTypes {
  private MediaTypes() {}

  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String EMPTY = "application/vnd.oci.empty.v1+json";

  /** The artifact type and layer media type of an attached OMS (Sigstore) bundle. */
  static final String SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  /**
   * The artifact type and layer media type of an attached attestation: a DSSE envelope of an
   * in-toto statement (DSSE's own media type; the predicate type is in {@link #PREDICATE_TYPE}).
   */
  static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";

  /** The annotation naming an attached attestation's predicate type (as Docker's attest does). */
  static final String PREDICATE_TYPE = "in-toto.io/predicate-type";

  /** The ModelPack media type prefix ({@code application/vnd.cncf.model.weight.v1.raw}, ...). */
  static final String MODELPACK_PREFIX = "application/vnd.cncf.model.";

  static final String MODELPACK_CONFIG = "application/vnd.cncf.model.config.v1+json";

  /** The file name of a layer (ORAS, ModelPack). */
  static final String TITLE = "org.opencontainers.image.title";

  /** ModelPack's file path annotation. */
  static final String MODELPACK_FILEPATH = "org.cncf.model.filepath";

  /** ORAS: the layer is a tar(+gzip) of a directory, to unpack. */
  static final String ORAS_UNPACK = "io.deis.oras.content.unpack";

  /** What we accept for a model manifest. */
  static final String ACCEPT_MANIFEST =
      OCI_MANIFEST + ", " + DOCKER_MANIFEST + ", " + OCI_INDEX + ", " + DOCKER_LIST;

  /** How a layer's bytes become files. */
  enum Packing {
    /** The blob is the file. */
    RAW,
    /** A tar archive of files. */
    TAR,
    /** A gzip-compressed tar archive. */
    TAR_GZIP,
    /** A packing this module cannot unpack (zstd, ...). */
    UNSUPPORTED
  }

  /**
   * How {@code layer} is packed: ModelPack media types by their suffix ({@code .raw}, {@code .tar},
   * {@code .tar+gzip}); any other layer is its file, unless ORAS marked it for unpacking ({@code
   * io.deis.oras.content.unpack: true}), when a gzip media type says tar+gzip and any other tar.
   */
  static Packing packing(Descriptor layer) {
    String mt = layer.mediaType();
    if (mt.startsWith(MODELPACK_PREFIX)) {
      if (mt.endsWith(".raw")) {
        return Packing.RAW;
      }
      if (mt.endsWith(".tar")) {
        return Packing.TAR;
      }
      if (mt.endsWith(".tar+gzip")) {
        return Packing.TAR_GZIP;
      }
      return Packing.UNSUPPORTED;
    }
    if ("true".equals(layer.annotations().get(ORAS_UNPACK))) {
      if (mt.endsWith("+gzip") || mt.endsWith(".gzip")) {
        return Packing.TAR_GZIP;
      }
      if (mt.endsWith("+zstd") || mt.endsWith(".zstd")) {
        return Packing.UNSUPPORTED;
      }
      return Packing.TAR;
    }
    return Packing.RAW;
  }
}
