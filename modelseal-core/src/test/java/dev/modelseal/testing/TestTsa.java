package dev.modelseal.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A real RFC 3161 time-stamping authority on 127.0.0.1 for tests: Bouncy Castle's {@code
 * TimeStampResponseGenerator} behind the JDK's HTTP server, with a test root and a TSA certificate
 * (critical extended key usage timeStamping) made here. {@link #genTime} sets the time it stamps
 * (now by default), to make tokens from inside or outside a leaf's validity.
 */
public final class TestTsa implements AutoCloseable {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  /** The TSA's root certificate (the trust anchor to verify with). */
  public final X509Certificate root;

  /** The TSA's own certificate. */
  public final X509Certificate tsaCertificate;

  /** The time stamped into the next tokens; null for now. */
  public final AtomicReference<Instant> genTime = new AtomicReference<>();

  /** Requests answered. */
  public final AtomicLong requests = new AtomicLong();

  private final HttpServer server;
  private final TimeStampResponseGenerator generator;

  private TestTsa(X509Certificate root, X509Certificate tsa, KeyPair tsaKey) throws Exception {
    this.root = root;
    this.tsaCertificate = tsa;
    TimeStampTokenGenerator tokens =
        new TimeStampTokenGenerator(
            new JcaSimpleSignerInfoGeneratorBuilder()
                .build("SHA256withECDSA", tsaKey.getPrivate(), tsa),
            new JcaDigestCalculatorProviderBuilder()
                .build()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
            new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.99.1"));
    tokens.addCertificates(new JcaCertStore(List.of(tsa)));
    generator = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/tsr",
        ex -> {
          try (InputStream in = ex.getRequestBody();
              OutputStream out = ex.getResponseBody()) {
            byte[] body;
            try {
              TimeStampRequest req = new TimeStampRequest(in.readNBytes(64 * 1024));
              Instant t = genTime.get();
              body =
                  generator
                      .generate(
                          req,
                          BigInteger.valueOf(SERIAL.incrementAndGet()),
                          Date.from(t == null ? Instant.now() : t))
                      .getEncoded();
            } catch (Exception e) {
              ex.sendResponseHeaders(400, -1);
              return;
            }
            requests.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
            ex.sendResponseHeaders(200, body.length);
            out.write(body);
          } catch (IOException e) {
            // the client went away
          }
        });
    server.start();
  }

  /** A TSA whose certificate is valid for ten years around now, under a new root. */
  public static TestTsa start() throws Exception {
    KeyPair rootKey = TestPki.ec("secp256r1");
    X509Certificate root = TestPki.selfSignedCa("Test TSA Root", rootKey);
    KeyPair tsaKey = TestPki.ec("secp256r1");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=Test TSA Root"),
            BigInteger.valueOf(SERIAL.incrementAndGet() + 5000),
            Date.from(now.minus(Duration.ofDays(3650))),
            Date.from(now.plus(Duration.ofDays(3650))),
            new X500Name("CN=Test TSA"),
            tsaKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
    X509Certificate tsa =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
    return new TestTsa(root, tsa, tsaKey);
  }

  /** The TSA's URL. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsr");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
