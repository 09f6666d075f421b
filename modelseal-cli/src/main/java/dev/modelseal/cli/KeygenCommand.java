package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.KeyPairFiles;
import dev.modelseal.keys.PemFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code modelseal keygen}: a new signing key pair for {@code sign} and {@code verify}. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a signing key pair: PREFIX.key for 'sign --key' and PREFIX.pub for"
          + " 'verify --public-key'.",
      "The private key is PKCS#8 PEM, encrypted (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) when"
          + " --password-file is given, and readable by its owner only. The public key is"
          + " SubjectPublicKeyInfo PEM with the permissions your umask gives. Existing files are"
          + " never overwritten."
    },
    footer = {"", "Exit codes: 0 written, 2 usage error or a file exists or cannot be written."})
final class KeygenCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PREFIX",
      defaultValue = "modelseal",
      description = "Write PREFIX.key and PREFIX.pub (default: ${DEFAULT-VALUE}).")
  Path prefix;

  @Option(
      names = "--algorithm",
      paramLabel = "ALG",
      defaultValue = "p256",
      description = "p256 (ECDSA P-256, default), p384 (ECDSA P-384) or ed25519.")
  String algorithm;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "Encrypt the private key with the password in FILE (one trailing newline ignored);"
              + " give the same file to 'sign --password-file'.")
  Path passwordFile;

  @Override
  public Integer call() throws ModelsealException {
    KeyPairFiles.Algorithm alg;
    try {
      alg = KeyPairFiles.Algorithm.parse(algorithm);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--algorithm: " + e.getMessage());
    }
    char[] password = passwordFile == null ? null : PemFiles.readPassword(passwordFile);
    KeyPairFiles.Written w;
    try {
      w = KeyPairFiles.generate(prefix, alg, password);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Private key written to "
            + w.privateKey()
            + (password != null ? " (encrypted)" : " (not encrypted; owner-only)"));
    out.println(
        "Public key written to " + w.publicKey() + " (" + w.algorithm().sigstoreName() + ")");
    return Main.OK;
  }
}
