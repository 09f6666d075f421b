package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sign --pkcs11-uri} with a real SoftHSM2 token (made by softhsm2-util and pkcs11-tool in
 * target/softhsm, where the surefire configuration points SOFTHSM2_CONF), verified with the public
 * key pkcs11-tool exports. Skips without the tools unless -Dmodelseal.requireSoftHsm=true (CI).
 */
class Pkcs11SignCommandTest {
  static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  static final String PIN = "cli-pin-2468";
  static Path dir;
  static Path pub;

  @TempDir Path tmp;

  @BeforeAll
  static void token() throws Exception {
    boolean present =
        Files.isRegularFile(Path.of(MODULE)) && onPath("softhsm2-util") && onPath("pkcs11-tool");
    String msg = "softhsm2 and opensc are not installed (apt-get install softhsm2 opensc)";
    assertThat(!present && Boolean.getBoolean("modelseal.requireSoftHsm")).as(msg).isFalse();
    Assumptions.assumeTrue(present, msg);
    dir = Path.of(System.getProperty("modelseal.softhsmDir"));
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir.resolve("tokens"));
    Files.writeString(
        dir.resolve("softhsm2.conf"),
        "directories.tokendir = " + dir.resolve("tokens") + "\nlog.level = ERROR\n");
    run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        "release",
        "--pin",
        PIN,
        "--so-pin",
        "cli-so-pin");
    run(
        "pkcs11-tool",
        "--module",
        MODULE,
        "--token-label",
        "release",
        "--login",
        "--pin",
        PIN,
        "--keypairgen",
        "--key-type",
        "EC:prime256v1",
        "--label",
        "signing key",
        "--id",
        "07");
    Path der = dir.resolve("pub.der");
    run(
        "pkcs11-tool",
        "--module",
        MODULE,
        "--token-label",
        "release",
        "--read-object",
        "--type",
        "pubkey",
        "--id",
        "07",
        "-o",
        der.toString());
    pub = dir.resolve("pub.pem");
    Files.writeString(
        pub,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(Files.readAllBytes(der))
            + "\n-----END PUBLIC KEY-----\n");
    Files.writeString(dir.resolve("pin"), PIN + "\n");
  }

  private static String uri(String pin) {
    return "pkcs11:token=release;object=signing%20key?module-path="
        + MODULE
        + "&pin-source=file:"
        + dir.resolve(pin);
  }

  @Test
  void signsWithTheTokenAndVerifiesWithItsExportedKey() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    CliRun s = CliRun.of("sign", model.toString(), "--pkcs11-uri", uri("pin"));
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("key method, PKIX_ECDSA_P256_SHA_256");
    CliRun v = CliRun.of("verify", model.toString(), "--public-key", pub.toString());
    assertThat(v.code()).as(v.err()).isZero();
  }

  @Test
  void wrongPinIsOneLineAndExitTwo() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    Files.writeString(dir.resolve("wrong"), "not-it-1357\n");
    CliRun s = CliRun.of("sign", model.toString(), "--pkcs11-uri", uri("wrong"));
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err()).isEqualTo("modelseal: PKCS#11 token 'release': wrong PIN\n");
    assertThat(model.resolve("model.sig")).doesNotExist();
  }

  @Test
  void pinValueWorksWithAWarningThatHidesIt() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    String u = "pkcs11:token=release;object=nope?module-path=" + MODULE + "&pin-value=" + PIN;
    CliRun s = CliRun.of("sign", model.toString(), "--pkcs11-uri", u);
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err())
        .contains("warning: pin-value puts the PIN on the command line")
        .endsWith("modelseal: PKCS#11 token 'release': no private key 'nope' on the token\n")
        .doesNotContain(PIN);
  }

  @Test
  void badModuleAndBadUriAndBothKeys() throws Exception {
    Path model = TestKeys.smallModel(tmp);
    CliRun m =
        CliRun.of(
            "sign", model.toString(), "--pkcs11-uri", uri("pin").replace(MODULE, "/no/lib.so"));
    assertThat(m.code()).isEqualTo(2);
    assertThat(m.err())
        .isEqualTo("modelseal: /no/lib.so: PKCS#11 module-path: no such library file\n");
    CliRun u = CliRun.of("sign", model.toString(), "--pkcs11-uri", "pkcs11:object=k");
    assertThat(u.code()).isEqualTo(2);
    assertThat(u.err()).startsWith("modelseal: PKCS#11 URI: module-path");
    CliRun both = CliRun.of("sign", model.toString(), "--pkcs11-uri", uri("pin"), "--key", "k.pem");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give --key or --pkcs11-uri");
  }

  static void run(String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
