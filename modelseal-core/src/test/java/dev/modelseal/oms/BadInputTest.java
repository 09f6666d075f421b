package dev.modelseal.oms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.dsse.Envelope;
import dev.modelseal.dsse.Pae;
import dev.modelseal.dsse.Signature;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.testing.TestPki;
import dev.modelseal.walk.WalkOptions;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a bundle or model can be wrong, each refused with its own reason. */
class BadInputTest {
  @TempDir Path tmp;
  KeyPair kp;
  SigningKey key;
  OmsVerifier verifier;
  Path model;

  @BeforeEach
  void setUp() throws Exception {
    kp = TestPki.ec("secp256r1");
    key = PemFiles.readPrivateKey(TestPki.writePkcs8(tmp.resolve("k.pem"), kp.getPrivate()), null);
    verifier = OmsVerifier.withPublicKey(VerificationKey.of(kp.getPublic()));
    model = RoundTripTest.model(tmp.resolve("model"));
  }

  static void assertFailure(ThrowingCallable call, Failure failure, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SignatureVerificationException.class, e -> assertThat(e.failure()).isEqualTo(failure))
        .hasMessageContaining(message)
        .hasMessageNotContaining("\n");
  }

  Path signed() throws Exception {
    return OmsSigner.withKey(key).signTo(model, null, WalkOptions.defaults());
  }

  /** A bundle signed with our key over an arbitrary statement. */
  Path signedStatement(String statement) throws Exception {
    byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
    byte[] sig = key.sign(Pae.encode(OmsFormat.PAYLOAD_TYPE, payload));
    Envelope env = Envelope.of(OmsFormat.PAYLOAD_TYPE, payload, List.of(Signature.of(sig, null)));
    Path p = tmp.resolve("crafted.sig");
    OmsBundle.forKey(key.verificationKey().hint(), env).write(p);
    return p;
  }

  static String statement(String subjectDigest, String resources) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"m\",\"digest\":"
        + "{\"sha256\":\""
        + subjectDigest
        + "\"}}],\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":"
        + "{\"resources\":["
        + resources
        + "],\"serialization\":{\"method\":\"files\",\"hash_type\":\"sha256\","
        + "\"allow_symlinks\":false,\"ignore_paths\":[]}}}";
  }

  static String resource(String name, String hex) {
    return "{\"name\":\"" + name + "\",\"algorithm\":\"sha256\",\"digest\":\"" + hex + "\"}";
  }

  static final String D1 = "bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc";
  static final String D2 = "32dcb1f8e1ae52d5963e56a6ba06ab58b424c15ed2a6b70d2feca1d089370028";

  static String rootOf(String... hexes) {
    var md = dev.modelseal.digest.HashAlgorithm.sha256();
    for (String h : hexes) {
      md.update(dev.modelseal.digest.Digest.parseHex(h));
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  @Test
  void truncatedBundle_malformed() throws Exception {
    Path sig = signed();
    byte[] b = Files.readAllBytes(sig);
    Files.write(sig, Arrays.copyOf(b, b.length / 2));
    assertFailure(() -> verifier.check(model, sig), Failure.MALFORMED_BUNDLE, "not valid JSON");
  }

  @Test
  void nonJsonBundle_malformed() throws Exception {
    Path sig = tmp.resolve("x.sig");
    Files.writeString(sig, "-----BEGIN PGP SIGNATURE-----\n");
    assertFailure(() -> verifier.check(model, sig), Failure.MALFORMED_BUNDLE, "not valid JSON");
    Files.writeString(sig, "[1, 2]");
    assertFailure(() -> verifier.check(model, sig), Failure.MALFORMED_BUNDLE, "not a JSON object");
  }

  @Test
  void oversizedBundle_refusedBeforeReading() throws Exception {
    Path sig = tmp.resolve("huge.sig");
    try (RandomAccessFile f = new RandomAccessFile(sig.toFile(), "rw")) {
      f.setLength(OmsBundle.DEFAULT_MAX_BYTES + 1L); // sparse: nothing is written
    }
    assertFailure(() -> verifier.check(model, sig), Failure.BUNDLE_TOO_LARGE, "larger than");
    Path small = signed();
    assertFailure(() -> OmsBundle.read(small, 100), Failure.BUNDLE_TOO_LARGE, "100 bytes");
  }

  @Test
  void duplicateJsonKey_malformed() throws Exception {
    Path sig = signed();
    String s = Files.readString(sig);
    Files.writeString(
        sig, s.replaceFirst("\"mediaType\"", "\"mediaType\" : \"x\",\n  \"mediaType\""));
    assertFailure(() -> verifier.check(model, sig), Failure.MALFORMED_BUNDLE, "Duplicate field");
  }

  @Test
  void wrongKeyType_keyMismatchOrBadSignature() throws Exception {
    Path sig = signed();
    OmsVerifier ed = OmsVerifier.withPublicKey(VerificationKey.of(TestPki.ed25519().getPublic()));
    assertFailure(() -> ed.check(model, sig), Failure.KEY_MISMATCH, "names key");
    // Without the hint, the signature itself fails.
    Files.writeString(sig, Files.readString(sig).replaceFirst("\"hint\" : \"[0-9a-f]+\"", ""));
    assertFailure(() -> ed.check(model, sig), Failure.BAD_SIGNATURE, "does not verify");
  }

  @Test
  void payloadBitFlips_neverVerify() throws Exception {
    OmsBundle b = OmsBundle.read(signed());
    byte[] payload = b.envelope().payload();
    byte[] sig = b.envelope().signatures().get(0).sig();
    for (int i = 0; i < payload.length; i++) {
      byte[] p = payload.clone();
      p[i] ^= 0x01;
      Envelope env = Envelope.of(OmsFormat.PAYLOAD_TYPE, p, List.of(Signature.of(sig, "")));
      OmsBundle mutated = OmsBundle.forKey(key.verificationKey().hint(), env);
      assertThatThrownBy(() -> verifier.verifyStatement(mutated))
          .isInstanceOf(SignatureVerificationException.class);
    }
  }

  /** The bundle at {@code sig} with its statement's subject digest replaced, signature kept. */
  static OmsBundle withEditedSubject(Path sig) throws Exception {
    OmsBundle b = OmsBundle.read(sig);
    String payload = new String(b.envelope().payload(), StandardCharsets.UTF_8);
    int at = payload.indexOf("\"sha256\":\"") + "\"sha256\":\"".length();
    char c = payload.charAt(at) == '0' ? '1' : '0';
    String edited = payload.substring(0, at) + c + payload.substring(at + 1);
    Envelope env =
        Envelope.of(
            OmsFormat.PAYLOAD_TYPE,
            edited.getBytes(StandardCharsets.UTF_8),
            b.envelope().signatures());
    return b.method() == OmsBundle.Method.KEY
        ? OmsBundle.forKey(b.keyHint().orElseThrow(), env)
        : OmsBundle.forCertificates(b.certificates(), env);
  }

  @Test
  void verify_editedSubject_isABadSignatureNotARootMismatch() throws Exception {
    Path edited = tmp.resolve("edited.sig");
    withEditedSubject(signed()).write(edited);
    // The signature is checked before the statement (OMS 8.3): the subject no longer matches the
    // resources, but what is reported is that the statement is not the signed one.
    assertFailure(() -> verifier.check(model, edited), Failure.BAD_SIGNATURE, "does not verify");
    assertFailure(() -> verifier.open(model, edited), Failure.BAD_SIGNATURE, "does not verify");
  }

  @Test
  void verify_editedSubjectOfCertificateBundle_isABadSignature() throws Exception {
    Pki pki = pki();
    Path sig =
        signWithLeaf(pki, TestPki.leaf("s", kp.getPublic(), "inter", pki.interKeys().getPrivate()));
    Path edited = tmp.resolve("edited-cert.sig");
    withEditedSubject(sig).write(edited);
    assertFailure(
        () -> OmsVerifier.withTrustAnchors(List.of(pki.root())).check(model, edited),
        Failure.BAD_SIGNATURE,
        "does not verify");
  }

  @Test
  void replayForAnotherModel_mismatch() throws Exception {
    Path sig = signed();
    Path other = RoundTripTest.model(tmp.resolve("other"));
    Files.writeString(other.resolve("config.json"), "{\"hidden\": 5}");
    assertThatThrownBy(() -> verifier.check(other, sig))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("modified: config.json");
  }

  @Test
  void duplicateResourceNames_refused() throws Exception {
    Path sig =
        signedStatement(statement(rootOf(D1, D1), resource("a", D1) + "," + resource("a", D1)));
    assertFailure(() -> verifier.check(model, sig), Failure.DUPLICATE_RESOURCE, "listed twice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "a/../../b", "/etc/passwd", "a\\\\b", "a//b", "./a", "a/"})
  void unsafeResourceNames_refused(String name) throws Exception {
    Path sig =
        signedStatement(statement(rootOf(D1, D2), resource(name, D1) + "," + resource("z", D2)));
    assertFailure(() -> verifier.check(model, sig), Failure.BAD_RESOURCE_NAME, "unsafe name");
  }

  @Test
  void statementShapes_refused() throws Exception {
    String ok = statement(rootOf(D1), resource("a", D1));
    Path s1 = signedStatement(ok.replace("Statement/v1", "Statement/v0.1"));
    assertFailure(() -> verifier.check(model, s1), Failure.WRONG_STATEMENT_TYPE, "_type");
    Path s2 =
        signedStatement(
            ok.replace(
                "\"subject\":[",
                "\"subject\":[{\"name\":\"n\",\"digest\":{\"sha256\":\"" + D1 + "\"}},"));
    assertFailure(
        () -> verifier.check(model, s2), Failure.WRONG_SUBJECT_COUNT, "exactly one subject");
    Path s3 = signedStatement(statement(rootOf(), ""));
    assertFailure(() -> verifier.check(model, s3), Failure.EMPTY_RESOURCES, "no resources");
    Path s4 = signedStatement(statement(rootOf(D2), resource("a", D1)));
    assertFailure(() -> verifier.check(model, s4), Failure.ROOT_MISMATCH, "not the root");
    Path s5 = signedStatement(ok.replaceFirst(",\"predicate\":\\{.*\\}\\}$", "}"));
    assertFailure(() -> verifier.check(model, s5), Failure.MALFORMED_STATEMENT, "no predicate");
    Path s6 = signedStatement(ok.replace("\"hash_type\":\"sha256\"", "\"hash_type\":\"md5\""));
    assertFailure(() -> verifier.check(model, s6), Failure.UNSUPPORTED_ALGORITHM, "md5");
    Path s7 =
        signedStatement(
            ok.replace("https://model_signing/signature/v1.0", "https://example.com/other/v1"));
    assertFailure(
        () -> verifier.check(model, s7),
        Failure.WRONG_PREDICATE_TYPE,
        "predicateType is 'https://example.com/other/v1'");
  }

  @Test
  void wrongMediaOrPayloadType_refused() throws Exception {
    Path sig = signed();
    String s = Files.readString(sig);
    Files.writeString(sig, s.replace("bundle.v0.3+json", "bundle.v9+json"));
    assertFailure(() -> verifier.check(model, sig), Failure.WRONG_MEDIA_TYPE, "mediaType");
    Files.writeString(sig, s.replace("application/vnd.in-toto+json", "text/plain"));
    assertFailure(() -> verifier.check(model, sig), Failure.WRONG_PAYLOAD_TYPE, "payloadType");
  }

  // --- certificates

  record Pki(X509Certificate root, X509Certificate inter, KeyPair interKeys) {}

  static Pki pki() throws Exception {
    KeyPair root = TestPki.ec("secp384r1");
    KeyPair inter = TestPki.ec("secp384r1");
    X509Certificate rootCert = TestPki.selfSignedCa("root", root);
    return new Pki(
        rootCert,
        TestPki.intermediate("inter", inter.getPublic(), "root", root.getPrivate()),
        inter);
  }

  Path signWithLeaf(Pki pki, X509Certificate leaf) throws Exception {
    Path sig = tmp.resolve("cert.sig");
    OmsSigner.withCertificates(key, List.of(leaf, pki.inter()))
        .signTo(model, sig, WalkOptions.defaults());
    return sig;
  }

  @Test
  void chainNotReachingAnchor_untrusted() throws Exception {
    Pki pki = pki();
    Path sig =
        signWithLeaf(pki, TestPki.leaf("s", kp.getPublic(), "inter", pki.interKeys().getPrivate()));
    X509Certificate otherRoot = TestPki.selfSignedCa("root", TestPki.ec("secp384r1"));
    assertFailure(
        () -> OmsVerifier.withTrustAnchors(List.of(otherRoot)).check(model, sig),
        Failure.UNTRUSTED_CHAIN,
        "does not lead to a trust anchor");
    assertThat(OmsVerifier.withTrustAnchors(List.of(pki.root())).check(model, sig).resources())
        .isNotEmpty();
  }

  @Test
  void expiredLeaf_refusedUnlessVerifiedAtANamedTime() throws Exception {
    Pki pki = pki();
    Instant from = Instant.now().minus(Duration.ofDays(30));
    Instant to = Instant.now().minus(Duration.ofHours(1));
    X509Certificate leaf =
        TestPki.leaf("s", kp.getPublic(), "inter", pki.interKeys().getPrivate(), true, from, to);
    Path sig = signWithLeaf(pki, leaf);
    OmsVerifier v = OmsVerifier.withTrustAnchors(List.of(pki.root()));
    assertFailure(() -> v.check(model, sig), Failure.CERTIFICATE_EXPIRED, "expired on");
    assertThat(v.at(Instant.now().minus(Duration.ofHours(2))).check(model, sig).resources())
        .isNotEmpty();
  }

  @Test
  void leafThatMayNotSign_refused() throws Exception {
    Pki pki = pki();
    X509Certificate leaf =
        TestPki.leaf(
            "s",
            kp.getPublic(),
            "inter",
            pki.interKeys().getPrivate(),
            false,
            Instant.now().minus(Duration.ofDays(1)),
            Instant.now().plus(Duration.ofDays(1)));
    Path sig = signWithLeaf(pki, leaf);
    assertFailure(
        () -> OmsVerifier.withTrustAnchors(List.of(pki.root())).check(model, sig),
        Failure.CERTIFICATE_USAGE,
        "may not sign");
  }

  @Test
  void materialOfAnotherMethod_refused() throws Exception {
    Pki pki = pki();
    Path certSig =
        signWithLeaf(pki, TestPki.leaf("s", kp.getPublic(), "inter", pki.interKeys().getPrivate()));
    assertFailure(() -> verifier.check(model, certSig), Failure.WRONG_METHOD, "certificate chain");
    Path keySig = signed();
    assertFailure(
        () -> OmsVerifier.withTrustAnchors(List.of(pki.root())).check(model, keySig),
        Failure.WRONG_METHOD,
        "public key (key method)");
  }

  @Test
  void signerRefusesLeafOfAnotherKey() throws Exception {
    Pki pki = pki();
    X509Certificate leaf =
        TestPki.leaf(
            "s", TestPki.ec("secp256r1").getPublic(), "inter", pki.interKeys().getPrivate());
    assertThatThrownBy(() -> OmsSigner.withCertificates(key, List.of(leaf)))
        .hasMessageContaining("not for this private key");
  }

  @Test
  void emptyModel_refusedWhenSigning() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> OmsSigner.withKey(key).signTo(empty, null, WalkOptions.defaults()))
        .hasMessageContaining("no files");
  }
}
