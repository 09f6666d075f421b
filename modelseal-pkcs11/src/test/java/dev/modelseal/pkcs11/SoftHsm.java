package dev.modelseal.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A SoftHSM2 token directory made once per test JVM with the real tools: {@code softhsm2-util}
 * initializes token {@code T} (keys {@code ec256}, {@code ec384}, {@code rsa} made by {@code
 * pkcs11-tool}) and {@code pkcs11-tool} a token {@code Locked} whose user PIN was never set.
 * SoftHSM reads {@code SOFTHSM2_CONF} once per process, so the surefire configuration points it at
 * this directory. Missing tools skip the tests, or fail them with {@code
 * -Dmodelseal.requireSoftHsm=true} (CI).
 */
final class SoftHsm {
  static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  static final String PIN = "4711-pin";
  static final String SO_PIN = "so-pin-0815";
  private static Path dir;

  private SoftHsm() {}

  /** The token directory, made on first use. */
  static synchronized Path dir() throws Exception {
    boolean present =
        Files.isRegularFile(Path.of(MODULE)) && onPath("softhsm2-util") && onPath("pkcs11-tool");
    if (!present) {
      String msg = "softhsm2 and opensc are not installed (apt-get install softhsm2 opensc)";
      assertThat(Boolean.getBoolean("modelseal.requireSoftHsm")).as(msg).isFalse();
      Assumptions.abort(msg);
    }
    if (dir != null) {
      return dir;
    }
    Path d = Path.of(System.getProperty("modelseal.softhsmDir"));
    assertThat(System.getenv("SOFTHSM2_CONF")).isEqualTo(d.resolve("softhsm2.conf").toString());
    if (Files.exists(d)) {
      try (Stream<Path> s = Files.walk(d)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(d.resolve("tokens"));
    Files.writeString(
        d.resolve("softhsm2.conf"),
        "directories.tokendir = "
            + d.resolve("tokens")
            + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\n");
    run(
        "pkcs11-tool",
        "--module",
        MODULE,
        "--slot-index",
        "0",
        "--init-token",
        "--label",
        "Locked",
        "--so-pin",
        SO_PIN);
    run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        "T",
        "--pin",
        PIN,
        "--so-pin",
        SO_PIN);
    keypair("EC:prime256v1", "ec256", "01");
    // P-384: made by openssl and imported (the public key of opensc 0.23's pkcs11-tool cannot
    // be read back for P-384: "cannot create EVP_PKEY").
    Path pem = d.resolve("ec384.pem");
    run("openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", pem.toString());
    Path der = d.resolve("ec384.der");
    run(
        "openssl",
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        pem.toString(),
        "-outform",
        "DER",
        "-out",
        der.toString());
    run(
        "openssl",
        "pkey",
        "-in",
        pem.toString(),
        "-pubout",
        "-outform",
        "DER",
        "-out",
        d.resolve("ec384.pub.der").toString());
    for (String[] o :
        new String[][] {{"privkey", der.toString()}, {"pubkey", d + "/ec384.pub.der"}}) {
      run(
          "pkcs11-tool",
          "--module",
          MODULE,
          "--token-label",
          "T",
          "--login",
          "--pin",
          PIN,
          "--write-object",
          o[1],
          "--type",
          o[0],
          "--id",
          "02",
          "--label",
          "ec384");
    }
    Files.delete(pem);
    Files.delete(der);
    keypair("rsa:2048", "rsa", "03");
    dir = d;
    return d;
  }

  private static void keypair(String type, String label, String id) throws Exception {
    run(
        "pkcs11-tool",
        "--module",
        MODULE,
        "--token-label",
        "T",
        "--login",
        "--pin",
        PIN,
        "--keypairgen",
        "--key-type",
        type,
        "--label",
        label,
        "--id",
        id);
  }

  /** The token's public key {@code label} as SubjectPublicKeyInfo DER, read by pkcs11-tool. */
  static byte[] publicKeyDer(String label) throws Exception {
    Path out = dir().resolve(label + ".pub.der");
    if (!Files.exists(out)) {
      run(
          "pkcs11-tool",
          "--module",
          MODULE,
          "--token-label",
          "T",
          "--read-object",
          "--type",
          "pubkey",
          "--label",
          label,
          "-o",
          out.toString());
    }
    return Files.readAllBytes(out);
  }

  /** A URI for key {@code label} on token T with the PIN in a file. */
  static String uri(String label) throws Exception {
    Path pin = dir().resolve("pin.txt");
    if (!Files.exists(pin)) {
      Files.writeString(pin, PIN + "\n");
    }
    return "pkcs11:token=T;object=" + label + "?module-path=" + MODULE + "&pin-source=file:" + pin;
  }

  static String run(String... cmd) throws Exception {
    List<String> c = new ArrayList<>(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", System.getenv("SOFTHSM2_CONF"));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + text).isZero();
    return text;
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
