package dev.modelseal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * The OCI distribution API over the JDK's HTTP clients (HTTP/1.1, one connection per request in
 * flight, redirects followed by hand so that credentials never go to another host): requests
 * without a body (GET, HEAD: manifests, blobs, referrers) over {@link HttpURLConnection}, whose
 * blocking streams cost a quarter of the CPU of {@link HttpClient}'s (measured: 256 MiB from a
 * local registry in 0.10 s and 0.03-0.10 s of CPU against 0.19-0.58 s and 0.22-0.61 s), uploads
 * over {@link HttpClient}; manifests, blobs (ranged, resumable), uploads, referrers. Authentication
 * answers the registry's {@code WWW-Authenticate} challenge: {@code Basic} with the user's
 * credentials, or {@code Bearer} by fetching a token from the challenge's realm (refused over plain
 * HTTP when the registry is HTTPS). Every response body read whole is bounded.
 */
final class RegistryClient implements AutoCloseable {
  static {
    // The JDK client reads sockets into buffers of this size (default 16 KiB); 256 KiB measured
    // on a 1 GiB pull from a local registry: 3.1 to 2.2 s of user and 1.4 to 0.9 s of system CPU.
    // Only when the application did not choose, and only before the client's classes load.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
    }
  }

  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_TOKEN_RESPONSE = 1024 * 1024;

  private final String registry;
  private final OciOptions options;
  private final Credentials credentials;
  private final StallGuard guard;
  private HttpClient http; // made at the first upload, see uploads()
  private final Map<String, String> authByScope = new ConcurrentHashMap<>();

  RegistryClient(String registry, OciOptions options, Credentials credentials) {
    this.registry = registry;
    this.options = options;
    this.credentials = credentials;
    this.guard = new StallGuard(options.readTimeout());
  }

  /**
   * The client for requests with a body, made when the first one is sent: its selector thread waits
   * in native code, and a JVM with such a thread spends 300 ms in exit waiting for it (HotSpot's
   * {@code VM_Exit}, measured: a pull's last 0.31 s), so a pull that only reads never starts one.
   */
  private synchronized HttpClient uploads() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(options.connectTimeout())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return http;
  }

  String scheme() {
    return options.plainHttp() ? "http" : "https";
  }

  URI url(String path) {
    return URI.create(scheme() + "://" + registry + path);
  }

  OciOptions options() {
    return options;
  }

  /** A response whose body must be closed. */
  record Response(int status, HttpHeaders headers, InputStream body, URI uri)
      implements AutoCloseable {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  /** A transient failure worth another attempt. */
  static final class Retryable extends Exception {
    private static final long serialVersionUID = 1L;

    Retryable(String reason, Throwable cause) {
      super(reason, cause, false, false);
    }
  }

  /**
   * Sends one request (answering an authentication challenge once, following redirects without
   * credentials) and returns the response, whatever its status.
   *
   * @param scope the token scope, e.g. {@code repository:team/model:pull}
   * @param body the body publisher for PUT/POST, or null
   */
  Response send(
      String method,
      URI uri,
      Map<String, String> headers,
      HttpRequest.BodyPublisher body,
      String scope,
      String where)
      throws ModelsealException, Retryable {
    Response r = sendOnce(method, uri, headers, body, authByScope.get(scope), where);
    if (r.status() == 401) {
      String challenge = r.header("WWW-Authenticate");
      r.close();
      String auth = authorize(challenge, scope, where);
      authByScope.put(scope, auth);
      r = sendOnce(method, uri, headers, body, auth, where);
      if (r.status() == 401) {
        r.close();
        throw new OciTransferException(
            where,
            credentials == null
                ? "authentication required and no credentials found for "
                    + registry
                    + " (docker login, ~/.docker/config.json or REGISTRY_AUTH_FILE)"
                : "the registry refused the credentials for " + registry + " (HTTP 401)",
            null);
      }
    }
    URI current = uri;
    for (int hops = 0; isRedirect(r.status()); hops++) {
      String loc = r.header("Location");
      r.close();
      if (loc == null || hops >= MAX_REDIRECTS) {
        throw new OciTransferException(where, "bad or endless redirect", null);
      }
      URI next = current.resolve(loc);
      if ("http".equals(next.getScheme()) && "https".equals(uri.getScheme())) {
        throw new OciTransferException(where, "redirected from HTTPS to plain HTTP: refused", null);
      }
      current = next;
      boolean sameHost = next.getAuthority() != null && next.getAuthority().equals(registry);
      r = sendOnce(method, next, headers, body, sameHost ? authByScope.get(scope) : null, where);
    }
    return r;
  }

  private static boolean isRedirect(int s) {
    return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
  }

  private Response sendOnce(
      String method,
      URI uri,
      Map<String, String> headers,
      HttpRequest.BodyPublisher body,
      String auth,
      String where)
      throws ModelsealException, Retryable {
    if (body == null && ("GET".equals(method) || "HEAD".equals(method))) {
      return sendWithoutBody(method, uri, headers, auth, where);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(options.readTimeout());
    headers.forEach(b::header);
    if (auth != null) {
      b.header("Authorization", auth);
    }
    b.method(method, body != null ? body : HttpRequest.BodyPublishers.noBody());
    try {
      HttpResponse<InputStream> resp =
          uploads().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Response(resp.statusCode(), resp.headers(), guard.watch(resp.body()), uri);
    } catch (SSLException e) {
      throw tlsFailed(where, e, e);
    } catch (HttpTimeoutException e) {
      throw new Retryable("read timed out (stalled)", e);
    } catch (ConnectException e) {
      throw new Retryable("cannot connect to " + registry + ": " + oneLine(e), e);
    } catch (IOException e) {
      if (e.getCause() instanceof SSLException s) {
        throw tlsFailed(where, s, e);
      }
      throw new Retryable(oneLine(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciTransferException(where, "interrupted", e);
    }
  }

  /** A GET or HEAD over {@link HttpURLConnection}: same statuses, headers, timeouts, errors. */
  private Response sendWithoutBody(
      String method, URI uri, Map<String, String> headers, String auth, String where)
      throws ModelsealException, Retryable {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      c.setRequestMethod(method);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setConnectTimeout(millis(options.connectTimeout()));
      c.setReadTimeout(millis(options.readTimeout()));
      headers.forEach(c::setRequestProperty);
      if (auth != null) {
        c.setRequestProperty("Authorization", auth);
      }
      int status = c.getResponseCode();
      Map<String, java.util.List<String>> fields = new java.util.HashMap<>();
      c.getHeaderFields()
          .forEach(
              (k, v) -> {
                if (k != null) {
                  fields.put(k, v);
                }
              });
      HttpHeaders h = HttpHeaders.of(fields, (k, v) -> true);
      InputStream in;
      if ("HEAD".equals(method)) {
        in = InputStream.nullInputStream();
      } else if (status >= 400) {
        InputStream err = c.getErrorStream();
        in = err != null ? err : InputStream.nullInputStream();
      } else {
        in = c.getInputStream();
      }
      return new Response(status, h, guard.watch(in), uri);
    } catch (SSLException e) {
      disconnect(c);
      throw tlsFailed(where, e, e);
    } catch (java.net.SocketTimeoutException e) {
      disconnect(c);
      throw new Retryable("read timed out (stalled)", e);
    } catch (ConnectException e) {
      disconnect(c);
      throw new Retryable("cannot connect to " + registry + ": " + oneLine(e), e);
    } catch (IOException e) {
      disconnect(c);
      if (e.getCause() instanceof SSLException ssl) {
        throw tlsFailed(where, ssl, e);
      }
      throw new Retryable(oneLine(e), e);
    } catch (IllegalArgumentException e) {
      disconnect(c);
      throw new OciTransferException(where, "bad request: " + oneLine(e), null);
    }
  }

  private static OciTransferException tlsFailed(String where, Exception tls, Exception cause) {
    return new OciTransferException(
        where,
        "TLS failed ("
            + oneLine(tls)
            + "); a plain-HTTP registry needs --plain-http (OciOptions.plainHttp)",
        cause);
  }

  private static void disconnect(HttpURLConnection c) {
    if (c != null) {
      c.disconnect();
    }
  }

  private static int millis(java.time.Duration d) {
    long ms = d.toMillis();
    return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(1, ms);
  }

  /** The Authorization value answering {@code challenge}. */
  private String authorize(String challenge, String scope, String where)
      throws ModelsealException, Retryable {
    Challenge c;
    try {
      c = Challenge.parse(challenge);
    } catch (IllegalArgumentException e) {
      throw new OciTransferException(where, "HTTP 401: " + e.getMessage(), null);
    }
    if ("basic".equals(c.scheme())) {
      if (credentials == null) {
        throw new OciTransferException(
            where,
            "authentication required and no credentials found for "
                + registry
                + " (docker login, ~/.docker/config.json or REGISTRY_AUTH_FILE)",
            null);
      }
      return credentials.basic();
    }
    if (!"bearer".equals(c.scheme())) {
      throw new OciTransferException(where, "unsupported authentication " + c.scheme(), null);
    }
    String realm = c.params().get("realm");
    URI realmUri;
    try {
      realmUri = realm == null ? null : URI.create(realm);
    } catch (IllegalArgumentException e) {
      realmUri = null;
    }
    if (realmUri == null
        || realmUri.getHost() == null
        || !("https".equals(realmUri.getScheme()) || "http".equals(realmUri.getScheme()))) {
      throw new OciTransferException(where, "HTTP 401 with a bad token realm", null);
    }
    if ("http".equals(realmUri.getScheme()) && !options.plainHttp()) {
      throw new OciTransferException(
          where, "the token realm " + realm + " is plain HTTP: refused", null);
    }
    StringBuilder q = new StringBuilder(realm);
    char sep = realm.indexOf('?') < 0 ? '?' : '&';
    String service = c.params().get("service");
    if (service != null) {
      q.append(sep).append("service=").append(enc(service));
      sep = '&';
    }
    String sc = c.params().getOrDefault("scope", scope);
    if (sc != null) {
      q.append(sep).append("scope=").append(enc(sc));
    }
    String auth = credentials != null ? credentials.basic() : null;
    try (Response resp = sendWithoutBody("GET", URI.create(q.toString()), Map.of(), auth, where)) {
      if (resp.status() != 200) {
        throw new OciTransferException(
            where, "the token endpoint answered HTTP " + resp.status(), null);
      }
      JsonNode n =
          StrictJson.parseObject(readBounded(resp, MAX_TOKEN_RESPONSE, where + ": token response"));
      JsonNode t = n.get("token");
      if (t == null || !t.isTextual() || t.textValue().isEmpty()) {
        t = n.get("access_token");
      }
      if (t == null || !t.isTextual() || t.textValue().isEmpty()) {
        throw new OciTransferException(where, "the token response holds no token", null);
      }
      return "Bearer " + t.textValue();
    } catch (IllegalArgumentException e) {
      throw new OciTransferException(where, "token response: " + e.getMessage(), null);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Reads a whole body of at most {@code max} bytes. */
  static byte[] readBounded(Response r, int max, String where)
      throws ModelsealException, Retryable {
    String len = r.header("Content-Length");
    if (len != null) {
      try {
        if (Long.parseLong(len.trim()) > max) {
          throw new OciTransferException(where, "larger than the limit of " + max + " bytes", null);
        }
      } catch (NumberFormatException e) {
        throw new OciTransferException(where, "bad Content-Length", null);
      }
    }
    try {
      byte[] b = r.body().readNBytes(max + 1);
      if (b.length > max) {
        throw new OciTransferException(where, "larger than the limit of " + max + " bytes", null);
      }
      return b;
    } catch (IOException e) {
      throw new Retryable(oneLine(e), e);
    }
  }

  /** Runs {@code call} with bounded retries and jittered backoff. */
  <T> T withRetries(String where, Call<T> call) throws ModelsealException {
    int failures = 0;
    while (true) {
      try {
        return call.run();
      } catch (Retryable e) {
        failures = backoff(where, failures, e.getMessage(), e.getCause());
      }
    }
  }

  /** Sleeps before another attempt, or throws when the attempts are used up. */
  int backoff(String where, int failures, String reason, Throwable cause)
      throws OciTransferException {
    int f = failures + 1;
    if (f >= options.attempts()) {
      throw new OciTransferException(
          where, "gave up after " + f + " attempt" + (f == 1 ? "" : "s") + ": " + reason, cause);
    }
    long base = 200L << Math.min(f - 1, 8);
    try {
      Thread.sleep(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OciTransferException(where, "interrupted", e);
    }
    return f;
  }

  /** One attempt. */
  interface Call<T> {
    T run() throws ModelsealException, Retryable;
  }

  /** Throws for a status that another attempt cannot fix; returns for 429 and 5xx as retryable. */
  static void requireStatus(Response r, String where, int... ok)
      throws ModelsealException, Retryable {
    for (int s : ok) {
      if (r.status() == s) {
        return;
      }
    }
    int s = r.status();
    String detail = errorCode(r);
    r.close();
    if (s == 429 || s >= 500 || s == 408) {
      throw new Retryable("HTTP " + s + detail, null);
    }
    if (s == 404) {
      throw new OciTransferException(where, "not found (HTTP 404" + detail + ")", null);
    }
    throw new OciTransferException(where, "refused by the registry: HTTP " + s + detail, null);
  }

  /** The first error code of an OCI error body ({@code errors[0].code}), bounded, or "". */
  private static String errorCode(Response r) {
    try {
      byte[] b = r.body().readNBytes(64 * 1024);
      JsonNode n = StrictJson.parseObject(b);
      JsonNode e = n.path("errors").path(0).path("code");
      return e.isTextual() ? " " + Descriptor.shorten(e.textValue()) : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public void close() {
    guard.close();
  }
}
