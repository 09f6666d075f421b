package dev.modelseal.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelseal.InvalidInputException;
import dev.modelseal.attest.AttestationException;
import dev.modelseal.attest.AttestationVerifier;
import dev.modelseal.attest.Metrics;
import dev.modelseal.attest.MetricsAttester;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SignatureVerificationException;
import dev.modelseal.pin.LockEntry;
import dev.modelseal.pin.ModelLock;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.testing.TempModels;
import dev.modelseal.testing.TestPki;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tink-style mutation of the three signed or pinned documents a deployment trusts: every bit of a
 * valid signature bundle, metrics attestation and lock file flipped, one at a time, and every
 * truncation. No mutation may verify (unless it leaves the same JSON document: a truncation that
 * only drops trailing white space), and each must fail with that document's exception, never
 * another exception or error.
 */
class MutationTest {
  @TempDir static Path dir;
  static Path model;
  static VerificationKey pub;
  static byte[] bundle;
  static byte[] attestation;
  static byte[] lock;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void writeTheOriginals() throws Exception {
    model = dir.resolve("model");
    byte[] weights = new byte[3000];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (byte) (i * 31);
    }
    TempModels.write(model, "model.onnx", weights);
    TempModels.write(model, "config.json", "{\"layers\": 2}");
    KeyPair kp = TestPki.ec("secp256r1");
    SigningKey key =
        PemFiles.readPrivateKey(TestPki.writePkcs8(dir.resolve("key.pem"), kp.getPrivate()), null);
    pub = key.verificationKey();
    Path sig = dir.resolve("model.sig");
    OmsSigner.withKey(key).signTo(model, sig, WalkOptions.defaults());
    bundle = Files.readAllBytes(sig);
    Manifest m =
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(model));
    MetricsStatement s =
        new MetricsStatement(
            m.modelName(),
            m.root(),
            Serialization.defaults(),
            Optional.empty(),
            Metrics.of(Map.of("f1", new BigDecimal("0.93"))),
            Optional.empty());
    Path att = dir.resolve("attestation.json");
    MetricsAttester.withKey(key).signTo(s, att);
    attestation = Files.readAllBytes(att);
    Path lockFile = dir.resolve("modelseal.lock");
    ModelLock.of(List.of(new LockEntry("model", m))).write(lockFile);
    lock = Files.readAllBytes(lockFile);
  }

  /** What verifying one candidate document does: returns normally when it verifies. */
  private interface Check {
    void run(Path file) throws Exception;
  }

  private static void verifyBundle(Path file) throws Exception {
    OmsVerifier.withPublicKey(pub).check(model, file);
  }

  private static void verifyAttestation(Path file) throws Exception {
    AttestationVerifier.withPublicKey(pub).check(model, file);
  }

  private static void checkLock(Path file) throws Exception {
    ModelLock lock = ModelLock.read(file);
    // An entry is found by its recorded path, else by its model name (a moved checkout): those
    // two locators are not content, so one of them may change while the other still finds the
    // entry. Everything the check compares is content, and must not change.
    lock.pin("model").check(model);
  }

  @Test
  void originals_verify() throws Exception {
    assertThat(outcome(bundle, MutationTest::verifyBundle)).isNull();
    assertThat(outcome(attestation, MutationTest::verifyAttestation)).isNull();
    assertThat(outcome(lock, MutationTest::checkLock)).isNull();
  }

  @Test
  void bundle_everyBitFlipAndTruncation_isRefusedAsABadSignature() throws Exception {
    assertEveryMutationFails(
        bundle, MutationTest::verifyBundle, List.of(SignatureVerificationException.class));
  }

  @Test
  void attestation_everyBitFlipAndTruncation_isRefusedAsABadAttestation() throws Exception {
    assertEveryMutationFails(
        attestation, MutationTest::verifyAttestation, List.of(AttestationException.class));
  }

  @Test
  void lockFile_everyBitFlipAndTruncation_isRefusedAsMalformedOrNotMatching() throws Exception {
    assertEveryMutationFails(
        lock,
        MutationTest::checkLock,
        List.of(InvalidInputException.class, ModelMismatchException.class));
  }

  /**
   * The bits flipped in every byte: by default bit 0 (the neighbouring character: a hex or base64
   * digit, a field name's letter), bit 1 (with bit 0, the unused low bits of a base64 group's last
   * character), bit 5 (letter case) and bit 7 (not ASCII), to keep the suite quick on a shared
   * machine; {@code -Dmodelseal.mutation.allBits=true} flips all eight (run before each release,
   * and for this test's introduction: all eight passed).
   */
  private static final int[] BITS =
      Boolean.getBoolean("modelseal.mutation.allBits")
          ? new int[] {0, 1, 2, 3, 4, 5, 6, 7}
          : new int[] {0, 1, 5, 7};

  private static final Path CANDIDATE_NAME = Path.of("candidate.json");

  /** The failure of checking {@code bytes}, or null when they verify. */
  private static Throwable outcome(byte[] bytes, Check check) throws Exception {
    Path file = dir.resolve(CANDIDATE_NAME);
    Files.write(file, bytes);
    try {
      check.run(file);
      return null;
    } catch (Throwable t) { // everything, errors included: the type is what is checked
      return t;
    }
  }

  private static void assertEveryMutationFails(
      byte[] original, Check check, List<Class<? extends Exception>> expected) throws Exception {
    JsonNode tree = JSON.readTree(original);
    List<String> problems = new ArrayList<>();
    int mutations = 0;
    for (int i = 0; i < original.length; i++) {
      for (int bit : BITS) {
        byte[] m = original.clone();
        m[i] ^= (byte) (1 << bit);
        problems.addAll(judge("byte " + i + " bit " + bit, m, tree, check, expected));
        mutations++;
      }
    }
    for (int len = 0; len < original.length; len++) {
      problems.addAll(
          judge("truncated to " + len, Arrays.copyOf(original, len), tree, check, expected));
      mutations++;
    }
    assertThat(mutations).isEqualTo((BITS.length + 1) * original.length);
    assertThat(problems.subList(0, Math.min(problems.size(), 40)))
        .as("of %d mutations, %d problems; the first", mutations, problems.size())
        .isEmpty();
  }

  private static List<String> judge(
      String what,
      byte[] mutated,
      JsonNode original,
      Check check,
      List<Class<? extends Exception>> expected)
      throws Exception {
    Throwable t = outcome(mutated, check);
    if (t == null) {
      return sameDocument(mutated, original) || onlyALocatorChanged(mutated, original)
          ? List.of()
          : List.of(what + ": verified (" + near(mutated, what) + ")");
    }
    if (expected.stream().noneMatch(c -> c.isInstance(t))) {
      return List.of(what + ": " + t);
    }
    String msg = t.getMessage();
    if (msg == null || msg.isBlank() || msg.contains("\n")) {
      return List.of(what + ": not a one-line message: " + msg);
    }
    return List.of();
  }

  /** A lock entry whose path or name (not both) differs, everything else the same. */
  private static boolean onlyALocatorChanged(byte[] bytes, JsonNode original) {
    try {
      JsonNode m = JSON.readTree(bytes);
      JsonNode o = original.get("models").get(0);
      JsonNode e = m.get("models").get(0);
      int changed = 0;
      for (String locator : List.of("path", "name")) {
        if (!o.get(locator).equals(e.get(locator))) {
          changed++;
          ((com.fasterxml.jackson.databind.node.ObjectNode) e).set(locator, o.get(locator));
        }
      }
      return changed == 1 && original.equals(m);
    } catch (Exception ex) {
      return false;
    }
  }

  private static boolean sameDocument(byte[] bytes, JsonNode original) {
    try {
      return original.equals(JSON.readTree(bytes));
    } catch (Exception e) {
      return false;
    }
  }

  /** A few characters around the mutated byte, for the report. */
  private static String near(byte[] mutated, String what) {
    String[] w = what.split(" ");
    if (!w[0].equals("byte")) {
      return "length " + mutated.length;
    }
    int i = Integer.parseInt(w[1]);
    int from = Math.max(0, i - 20);
    int to = Math.min(mutated.length, i + 20);
    return new String(mutated, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)
        .replace("\n", "\\n");
  }
}
