package dev.modelseal.timestamp;

import dev.modelseal.timestamp.TimestampException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * An RFC 3161 time-stamping authority reached over HTTP(S): {@link #timestamp} sends a request
 * (SHA-256 imprint of the signature bytes, a random 64-bit nonce, certReq so that the token carries
 * the TSA certificate) as {@code application/timestamp-query} and checks the response: HTTP 200, at
 * most {@link #MAX_RESPONSE_BYTES}, status granted, the same imprint and nonce ({@code
 * TimeStampResponse.validate}); with a trust anchor ({@link #checkedAgainst}) the token is also
 * verified as {@link TimestampVerifier} would, so that a signature never carries a token its
 * verifiers would refuse.
 */
public final class TimestampAuthority {
  /** The largest response read. */
  public static final int MAX_RESPONSE_BYTES = 256 * 1024;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI url;
  private final TimestampVerifier check;

  private TimestampAuthority(URI url, TimestampVerifier check) {
    this.url = url;
    this.check = check;
  }

  /**
   * The TSA at {@code url} (http or https).
   *
   * @throws IllegalArgumentException for another scheme
   */
  public static TimestampAuthority at(URI url) {
    String s = Objects.requireNonNull(url).getScheme();
    if (s == null || !(s.equals("http") || s.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("the TSA URL must be an http(s) URL with a host");
    }
    return new TimestampAuthority(url, null);
  }

  /** The same TSA, its tokens verified against {@code roots} before they are used. */
  public TimestampAuthority checkedAgainst(List<X509Certificate> roots) {
    return new TimestampAuthority(url, TimestampVerifier.trusting(roots));
  }

  /** The TSA's URL. */
  public URI url() {
    return url;
  }

  /**
   * Requests a timestamp over {@code signature} and returns the token (DER).
   *
   * @throws TimestampException when the TSA cannot be reached, refuses, or answers wrongly
   */
  public byte[] timestamp(byte[] signature) throws TimestampException {
    byte[] imprint;
    try {
      imprint = MessageDigest.getInstance("SHA-256").digest(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(true);
    BigInteger nonce = new BigInteger(64, new SecureRandom());
    TimeStampRequest req = g.generate(NISTObjectIdentifiers.id_sha256, imprint, nonce);
    byte[] body = post(requestBytes(req));
    TimeStampToken token;
    try {
      TimeStampResponse resp = new TimeStampResponse(body);
      resp.validate(req);
      token = resp.getTimeStampToken();
      if (token == null) {
        throw new TimestampException(
            Kind.UNAVAILABLE,
            url
                + ": the TSA refused: "
                + (resp.getStatusString() == null
                    ? "status " + resp.getStatus()
                    : resp.getStatusString()));
      }
      byte[] der = token.getEncoded();
      if (check != null) {
        check.verify(der, signature);
      }
      return der;
    } catch (TSPException | IOException | RuntimeException e) {
      throw new TimestampException(
          Kind.UNAVAILABLE, url + ": unusable TSA response: " + e.getMessage());
    }
  }

  private static byte[] requestBytes(TimeStampRequest req) {
    try {
      return req.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * POSTs the request over {@link HttpURLConnection}: the JDK {@code HttpClient}'s selector thread,
   * waiting in native code, would hold the command's exit for 300 ms.
   */
  private byte[] post(byte[] request) throws TimestampException {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) url.toURL().openConnection();
      c.setConnectTimeout((int) TIMEOUT.toMillis());
      c.setReadTimeout((int) TIMEOUT.toMillis());
      c.setInstanceFollowRedirects(false);
      c.setRequestMethod("POST");
      c.setRequestProperty("Content-Type", "application/timestamp-query");
      c.setRequestProperty("Accept", "application/timestamp-reply");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(request.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(request);
      }
      int status = c.getResponseCode();
      if (status != 200) {
        throw new TimestampException(Kind.UNAVAILABLE, url + ": the TSA answered HTTP " + status);
      }
      try (InputStream in = c.getInputStream()) {
        byte[] b = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        if (b.length > MAX_RESPONSE_BYTES) {
          throw new TimestampException(
              Kind.UNAVAILABLE,
              url + ": TSA response larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        return b;
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new TimestampException(
          Kind.UNAVAILABLE,
          url
              + ": cannot reach the TSA: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }
}
