package dev.modelseal.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.modelseal.internal.StrictJson;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The token endpoint of the registry's token authentication, on 127.0.0.1: checks the basic
 * credentials, then issues an RS256 JWT with an {@code x5c} header (a self-signed root the registry
 * trusts through {@code rootcertbundle}) granting the scope asked for. Records the requests.
 */
final class TokenServer implements AutoCloseable {
  static final String SERVICE = "modelseal-test-registry";
  static final String ISSUER = "modelseal-test-issuer";

  private final HttpServer server;
  private final KeyPair key;
  private final X509Certificate cert;
  private final Path rootPem;
  final List<String> requests = new CopyOnWriteArrayList<>();

  /** Bytes of padding added to each granted token response (an oversized answer when large). */
  volatile int padding;

  TokenServer(Path dir) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    key = g.generateKeyPair();
    X500Name name = new X500Name("CN=modelseal test token issuer");
    long now = System.currentTimeMillis();
    cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now),
                        new Date(now - 3_600_000),
                        new Date(now + 86_400_000),
                        name,
                        key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
    rootPem =
        Files.writeString(
            dir.resolve("token-root.pem"),
            "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/token",
        ex -> {
          String q = ex.getRequestURI().getRawQuery();
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          requests.add(q + " auth=" + (auth != null));
          String expected =
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (TestRegistry.USER + ":" + TestRegistry.PASSWORD)
                              .getBytes(StandardCharsets.UTF_8));
          byte[] body;
          int status;
          if (!expected.equals(auth)) {
            status = 401;
            body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8);
          } else {
            status = 200;
            body =
                ("{\"token\":\""
                        + jwt(param(q, "scope"))
                        + "\",\"pad\":\""
                        + "x".repeat(padding)
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
          }
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  Path rootPem() {
    return rootPem;
  }

  private static String param(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String kv : query.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(name)) {
        return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private String jwt(String scope) throws IOException {
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      ObjectNode h = StrictJson.mapper().createObjectNode();
      h.put("typ", "JWT").put("alg", "RS256");
      h.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
      long now = System.currentTimeMillis() / 1000;
      ObjectNode c = StrictJson.mapper().createObjectNode();
      c.put("iss", ISSUER).put("sub", TestRegistry.USER).put("aud", SERVICE);
      c.put("exp", now + 600).put("nbf", now - 60).put("iat", now - 60).put("jti", "t" + now);
      var access = c.putArray("access");
      if (scope != null) {
        String[] parts = scope.split(":");
        ObjectNode a = access.addObject();
        a.put("type", parts[0]).put("name", parts[1]);
        var actions = a.putArray("actions");
        for (String act : parts[2].split(",")) {
          actions.add(act);
        }
      }
      String signingInput =
          b64.encodeToString(h.toString().getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(c.toString().getBytes(StandardCharsets.UTF_8));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key.getPrivate());
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(s.sign());
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
