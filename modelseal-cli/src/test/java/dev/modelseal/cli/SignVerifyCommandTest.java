package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignVerifyCommandTest {
  @TempDir Path tmp;
  Path model;
  Path key;
  Path pub;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeEach
  void setUp() throws Exception {
    model = TestKeys.smallModel(tmp);
    TestKeys keys = TestKeys.ecP256(tmp);
    key = keys.key();
    pub = keys.pub();
  }

  @Test
  void signThenVerify_exitsZero() {
    Result s = run("sign", model.toString(), "--key", key.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("Signed").contains("model.sig");
    assertThat(model.resolve("model.sig")).exists();
    Result v = run("verify", model.toString(), "--public-key", pub.toString());
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).startsWith("Verified ").contains("2 files");
  }

  @Test
  void verify_modifiedMissingExtra_exitsOneNamingFiles() throws Exception {
    assertThat(run("sign", model.toString(), "--key", key.toString()).code()).isZero();
    Files.writeString(model.resolve("config.json"), "{ }");
    Files.delete(model.resolve("sub/weights.bin"));
    Files.writeString(model.resolve("new.bin"), "x");
    Result v = run("verify", model.toString(), "--public-key", pub.toString());
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.out())
        .contains("NOT VERIFIED")
        .contains("  modified config.json")
        .contains("  missing  sub/weights.bin")
        .contains("  extra    new.bin");
    Result j = run("verify", model.toString(), "--public-key", pub.toString(), "--json");
    assertThat(j.code()).isEqualTo(1);
    JsonNode n = readJson(j.out());
    assertThat(n.get("verified").asBoolean()).isFalse();
    assertThat(n.get("failure").asText()).isEqualTo("MODEL_MISMATCH");
    assertThat(n.get("extra").get(0).asText()).isEqualTo("new.bin");
  }

  @Test
  void verify_ignoreUnsignedFiles_leavesExtraOut() throws Exception {
    assertThat(run("sign", model.toString(), "--key", key.toString()).code()).isZero();
    Files.writeString(model.resolve("README.md"), "added later");
    assertThat(run("verify", model.toString(), "--public-key", pub.toString()).code()).isEqualTo(1);
    Result v =
        run("verify", model.toString(), "--public-key", pub.toString(), "--ignore-unsigned-files");
    assertThat(v.code()).as(v.out()).isZero();
  }

  @Test
  void verify_wrongKey_exitsOneWithOneLineReason() throws Exception {
    assertThat(run("sign", model.toString(), "--key", key.toString()).code()).isZero();
    Path other =
        Files.writeString(
            tmp.resolve("other.pem"),
            TestKeys.pem("PUBLIC KEY", TestKeys.newPair().getPublic().getEncoded()));
    Result v = run("verify", model.toString(), "--public-key", other.toString());
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.out().trim())
        .contains("names key")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void verify_usageAndInputErrors_exitTwo() throws Exception {
    assertThat(run("verify", model.toString()).code()).isEqualTo(2);
    Result both =
        run(
            "verify",
            model.toString(),
            "--public-key",
            pub.toString(),
            "--trust-anchor",
            pub.toString());
    assertThat(both.code()).isEqualTo(2);
    Result noSig = run("verify", model.toString(), "--public-key", pub.toString());
    assertThat(noSig.code()).isEqualTo(2);
    assertThat(noSig.err())
        .contains("model.sig: no such file or directory")
        .doesNotContain("\tat ");
    Result badKey = run("sign", model.toString(), "--key", pub.toString());
    assertThat(badKey.code()).isEqualTo(2);
    assertThat(badKey.err()).contains("no PEM private key");
  }

  @Test
  void sign_singleFile_writesSignatureBesideIt() throws Exception {
    Path f = model.resolve("config.json");
    assertThat(run("sign", f.toString(), "--key", key.toString(), "--ignore", "x").code()).isZero();
    assertThat(model.resolve("config.json.sig")).exists();
    assertThat(run("verify", f.toString(), "--public-key", pub.toString()).code()).isZero();
  }

  @Test
  void sign_encryptedKey_withPasswordFile() throws Exception {
    assumeTrue(openSsl(), "openssl not installed");
    Path enc = tmp.resolve("enc.pem");
    Path pw = Files.writeString(tmp.resolve("pw.txt"), "s3cret\n");
    Process p =
        new ProcessBuilder(
                "openssl",
                "pkcs8",
                "-topk8",
                "-in",
                key.toString(),
                "-out",
                enc.toString(),
                "-passout",
                "file:" + pw)
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThat(Files.readString(enc)).contains("ENCRYPTED PRIVATE KEY");
    assertThat(run("sign", model.toString(), "--key", enc.toString()).code()).isEqualTo(2);
    Result s =
        run("sign", model.toString(), "--key", enc.toString(), "--password-file", pw.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(run("verify", model.toString(), "--public-key", pub.toString()).code()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v0.2.0-certificate",
        "v0.3.1-certificate",
        "v0.3.1-elliptic-key",
        "v1.0.0-certificate",
        "v1.0.0-elliptic-key",
        "v1.0.1-certificate",
        "v1.0.1-elliptic-key",
        "v1.1.0-certificate",
        "v1.1.0-elliptic-key"
      })
  void verify_historicalVectors_exitZero(String vector) {
    Path mt = shared().resolve("vectors/oms/model-transparency-1.1.1");
    Path dir = mt.resolve(vector);
    List<String> args = new ArrayList<>(List.of("verify"));
    if (Files.exists(dir.resolve("signme-2"))) {
      args.add(dir.toString());
    } else {
      args.addAll(
          List.of(
              dir.resolve("signme-1").toString(),
              "--signature",
              dir.resolve("model.sig").toString()));
    }
    if (vector.endsWith("-certificate")) {
      args.addAll(List.of("--trust-anchor", mt.resolve("keys/ca-cert.pem").toString()));
    } else {
      args.addAll(List.of("--public-key", mt.resolve("keys/signing-key-pub.pem").toString()));
    }
    if (vector.startsWith("v1.0.1")) {
      args.addAll(List.of("--ignore", "ignore-me"));
    }
    Result r = run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"v0.3.1-sigstore", "v1.0.0-sigstore", "v1.0.1-sigstore", "v1.1.0-sigstore"})
  void verify_keylessVectors_offline(String vector) {
    Path dir = shared().resolve("vectors/oms/model-transparency-1.1.1").resolve(vector);
    // Sigstore's public-good trusted root is not ours to commit: see SigstoreVectorsTest.
    String explicit = System.getProperty("modelseal.sigstoreTrustedRoot");
    Path root =
        explicit != null && !explicit.isBlank()
            ? Path.of(explicit)
            : shared().resolve("vectors/sigstore/trusted_root.json");
    if (!Files.isRegularFile(root) && Boolean.getBoolean("modelseal.requireShared")) {
      fail("no Sigstore trusted root at " + root); // CI: keyless verification must run
    }
    assumeTrue(Files.isRegularFile(root), "no Sigstore trusted root at " + root);
    assertThat(dir.resolve("model.sig")).as("the keyless bundle of " + vector).isRegularFile();
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                dir.toString(),
                "--trusted-root",
                root.toString(),
                "--identity",
                "stefanb@us.ibm.com",
                "--issuer",
                "https://sigstore.verify.ibm.com/oauth2"));
    if (vector.startsWith("v1.0.1")) {
      args.addAll(List.of("--ignore", "ignore-me"));
    }
    Result r = run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    args.set(5, "mallory@example.com");
    Result bad = run(args.toArray(String[]::new));
    assertThat(bad.code()).isEqualTo(1);
    Result partial = run("verify", dir.toString(), "--trusted-root", root.toString());
    assertThat(partial.code()).isEqualTo(2);
  }

  static JsonNode readJson(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }

  static boolean openSsl() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  static Path shared() {
    String p = System.getProperty("modelseal.shared");
    Path dir = p != null && !p.isBlank() ? Path.of(p) : Path.of("..", "..", "shared");
    if (!Files.isDirectory(dir.resolve("vectors"))) {
      if (Boolean.getBoolean("modelseal.requireShared")) {
        fail("shared vectors not found at " + dir.toAbsolutePath());
      }
      assumeTrue(false, "shared vectors not found at " + dir.toAbsolutePath());
    }
    return dir;
  }
}
