package dev.modelseal.oci;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.HashAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * One repository of a registry: manifests by tag or digest (bounded, the digest of the bytes
 * computed here and compared, in constant time, with a digest asked for), blob streams, small
 * blobs, uploads and the referrers of a manifest.
 */
final class Repository {
  private final RegistryClient client;
  private final String registry;
  private final String name;

  Repository(RegistryClient client, String registry, String name) {
    this.client = client;
    this.registry = registry;
    this.name = name;
  }

  RegistryClient client() {
    return client;
  }

  String pullScope() {
    return "repository:" + name + ":pull";
  }

  String pushScope() {
    return "repository:" + name + ":pull,push";
  }

  String where(String ref) {
    return OciReference.SCHEME
        + registry
        + "/"
        + name
        + (ref.startsWith("sha256:") ? "@" : ":")
        + ref;
  }

  /** A manifest's exact bytes, its content type and the sha256 of those bytes. */
  record Fetched(byte[] bytes, String contentType, String digest) {}

  /**
   * Fetches the manifest at {@code ref} (a tag or a digest); with a digest, the bytes must hash to
   * it.
   *
   * @throws OciIntegrityException when the bytes do not hash to the digest asked for
   */
  Fetched manifest(String ref, String accept) throws ModelsealException {
    String where = where(ref);
    URI uri = client.url("/v2/" + name + "/manifests/" + ref);
    Fetched f =
        client.withRetries(
            where,
            () -> {
              try (RegistryClient.Response r =
                  client.send("GET", uri, Map.of("Accept", accept), null, pullScope(), where)) {
                RegistryClient.requireStatus(r, where, 200);
                byte[] b = RegistryClient.readBounded(r, OciOptions.MAX_MANIFEST_BYTES, where);
                return new Fetched(b, r.header("Content-Type"), sha256(b));
              }
            });
    if (ref.startsWith("sha256:") && !digestsEqual(ref, f.digest())) {
      throw new OciIntegrityException(
          where, "the registry served a manifest whose digest is " + f.digest());
    }
    return f;
  }

  /** The manifest at {@code ref}, or empty on 404. */
  Optional<Fetched> manifestIfPresent(String ref, String accept) throws ModelsealException {
    try {
      return Optional.of(manifest(ref, accept));
    } catch (OciTransferException e) {
      if (e.getMessage().contains("(HTTP 404")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The referrers of manifest {@code digest} by the referrers API, or empty when the registry does
   * not offer it (404), so the caller falls back to the {@code sha256-<hex>} tag.
   */
  Optional<OciIndexDoc> referrersApi(String digest) throws ModelsealException {
    String where = where(digest) + " (referrers)";
    URI uri = client.url("/v2/" + name + "/referrers/" + digest);
    return client.withRetries(
        where,
        () -> {
          try (RegistryClient.Response r =
              client.send(
                  "GET", uri, Map.of("Accept", MediaTypes.OCI_INDEX), null, pullScope(), where)) {
            if (r.status() == 404 || r.status() == 405 || r.status() == 400) {
              return Optional.empty();
            }
            RegistryClient.requireStatus(r, where, 200);
            String ct = r.header("Content-Type");
            if (ct == null || !ct.startsWith(MediaTypes.OCI_INDEX)) {
              return Optional
                  .empty(); // not the referrers API (a proxy's or an old registry's page)
            }
            byte[] b = RegistryClient.readBounded(r, OciOptions.MAX_MANIFEST_BYTES, where);
            try {
              return Optional.of(OciIndexDoc.parse(b, ct));
            } catch (IllegalArgumentException e) {
              throw new OciTransferException(where, "bad referrers list: " + e.getMessage(), null);
            }
          }
        });
  }

  URI blobUri(String digest) {
    return client.url("/v2/" + name + "/blobs/" + digest);
  }

  /**
   * Opens blob {@code digest} from byte {@code from} (a ranged request when {@code from > 0}); the
   * caller must close the response. A registry that ignores the range answers 200 from byte 0,
   * which the caller skips.
   */
  RegistryClient.Response openBlob(String digest, long from)
      throws ModelsealException, RegistryClient.Retryable {
    String where = where(digest);
    Map<String, String> h =
        from > 0 ? Map.of("Range", "bytes=" + from + "-") : Map.<String, String>of();
    RegistryClient.Response r = client.send("GET", blobUri(digest), h, null, pullScope(), where);
    if (from > 0) {
      RegistryClient.requireStatus(r, where, 206, 200);
    } else {
      RegistryClient.requireStatus(r, where, 200);
    }
    return r;
  }

  /**
   * Checks a blob response's Content-Length, when it has one, against {@code expect}: the bytes of
   * the range asked for ({@code ranged}, a 206) or of the whole blob.
   */
  static void requireLength(RegistryClient.Response r, String where, boolean ranged, long expect)
      throws ModelsealException {
    String len = r.header("Content-Length");
    if (len == null) {
      return;
    }
    long l;
    try {
      l = Long.parseLong(len.trim());
    } catch (NumberFormatException e) {
      throw new OciTransferException(where, "bad Content-Length", null);
    }
    if (l != expect) {
      throw new OciIntegrityException(
          where,
          "the registry serves "
              + (ranged ? "a range of " + l : l)
              + " bytes, the manifest says "
              + expect
              + " (the descriptor's size lies, or the blob was replaced)");
    }
  }

  /**
   * Bytes {@code [start, end)} of a blob of {@code size} bytes, as a stream of exactly that many
   * bytes: a registry that answers a range with the whole blob (200) is read past {@code start}. A
   * length that disagrees with the range fails as {@link OciIntegrityException}.
   */
  InputStream openBlobRange(String digest, long start, long end, long size)
      throws ModelsealException, RegistryClient.Retryable, IOException {
    String where = where(digest);
    RegistryClient.Response r =
        client.send(
            "GET",
            blobUri(digest),
            Map.of("Range", "bytes=" + start + "-" + (end - 1)),
            null,
            pullScope(),
            where);
    boolean ok = false;
    try {
      RegistryClient.requireStatus(r, where, 206, 200);
      boolean ranged = r.status() == 206;
      requireLength(r, where, ranged, ranged ? end - start : size);
      InputStream in = r.body();
      if (!ranged) {
        in.skipNBytes(start);
      }
      ok = true;
      return new Bounded(in, end - start, r);
    } finally {
      if (!ok) {
        r.close();
      }
    }
  }

  /** At most {@code left} bytes of a response body; closing it closes the response. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private final RegistryClient.Response response;
    private long left;

    Bounded(InputStream in, long left, RegistryClient.Response response) {
      this.in = in;
      this.left = left;
      this.response = response;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() {
      response.close();
    }
  }

  /** A small blob (a signature bundle) of at most {@code max} bytes, checked against its digest. */
  byte[] smallBlob(String digest, int max) throws ModelsealException {
    String where = where(digest);
    byte[] b =
        client.withRetries(
            where,
            () -> {
              try (RegistryClient.Response r = openBlob(digest, 0)) {
                return RegistryClient.readBounded(r, max, where);
              }
            });
    if (!digestsEqual(digest, sha256(b))) {
      throw new OciIntegrityException(where, "the blob's bytes do not hash to its digest");
    }
    return b;
  }

  /** Uploads {@code bytes} as a blob (monolithic POST then PUT), unless it already exists. */
  String pushBlob(byte[] bytes) throws ModelsealException {
    String digest = sha256(bytes);
    String where = where(digest);
    client.withRetries(
        where,
        () -> {
          try (RegistryClient.Response head =
              client.send("HEAD", blobUri(digest), Map.of(), null, pushScope(), where)) {
            if (head.status() == 200) {
              return null;
            }
          }
          URI start = client.url("/v2/" + name + "/blobs/uploads/");
          String loc;
          try (RegistryClient.Response r =
              client.send(
                  "POST",
                  start,
                  Map.of(),
                  HttpRequest.BodyPublishers.noBody(),
                  pushScope(),
                  where)) {
            RegistryClient.requireStatus(r, where, 202);
            loc = r.header("Location");
          }
          if (loc == null) {
            throw new OciTransferException(where, "upload started without a Location", null);
          }
          URI put = start.resolve(loc);
          String q = put.getRawQuery();
          URI target =
              URI.create(put + (q == null ? "?" : "&") + "digest=" + digest.replace(":", "%3A"));
          try (RegistryClient.Response r =
              client.send(
                  "PUT",
                  target,
                  Map.of("Content-Type", "application/octet-stream"),
                  HttpRequest.BodyPublishers.ofByteArray(bytes),
                  pushScope(),
                  where)) {
            RegistryClient.requireStatus(r, where, 201);
          }
          return null;
        });
    return digest;
  }

  /**
   * Puts a manifest (or index) under {@code ref} (a tag or its digest).
   *
   * @return the {@code OCI-Subject} response header, when the registry processed a subject
   */
  Optional<String> putManifest(String ref, byte[] bytes, String mediaType)
      throws ModelsealException {
    String where = where(ref);
    URI uri = client.url("/v2/" + name + "/manifests/" + ref);
    return client.withRetries(
        where,
        () -> {
          try (RegistryClient.Response r =
              client.send(
                  "PUT",
                  uri,
                  Map.of("Content-Type", mediaType),
                  HttpRequest.BodyPublishers.ofByteArray(bytes),
                  pushScope(),
                  where)) {
            RegistryClient.requireStatus(r, where, 201);
            return Optional.ofNullable(r.header("OCI-Subject"));
          }
        });
  }

  static String sha256(byte[] b) {
    MessageDigest md = HashAlgorithm.sha256();
    return "sha256:" + HexFormat.of().formatHex(md.digest(b));
  }

  /** Constant-time comparison of two {@code sha256:<hex>} digests. */
  static boolean digestsEqual(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
