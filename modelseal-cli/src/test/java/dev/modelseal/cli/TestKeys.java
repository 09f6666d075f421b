package dev.modelseal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** A fresh EC P-256 key pair written as PEM files, for the command tests. */
record TestKeys(Path key, Path pub) {
  /** Writes {@code key.pem} (PKCS#8) and {@code pub.pem} into {@code dir}. */
  static TestKeys ecP256(Path dir) throws IOException, GeneralSecurityException {
    KeyPair kp = newPair();
    return new TestKeys(
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", kp.getPrivate().getEncoded())),
        Files.writeString(dir.resolve("pub.pem"), pem("PUBLIC KEY", kp.getPublic().getEncoded())));
  }

  /** A new EC P-256 key pair. */
  static KeyPair newPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** The PEM text of {@code der} under {@code type}. */
  static String pem(String type, byte[] der) {
    return dev.modelseal.cli.startup.CdsTraining.pemText(type, der);
  }

  /** A two-file model directory {@code model} ({@code config.json}, {@code sub/weights.bin}). */
  static Path smallModel(Path dir) throws IOException {
    Path model = Files.createDirectories(dir.resolve("model/sub")).getParent();
    Files.writeString(model.resolve("config.json"), "{}");
    Files.writeString(model.resolve("sub/weights.bin"), "weights");
    return model;
  }
}
