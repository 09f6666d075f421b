package dev.modelseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.Requirement;
import dev.modelseal.internal.RegularFiles;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.manifest.PinDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A deploy policy: rules, each covering model sources by pattern and saying what a model from them
 * must satisfy (a signature by a trusted signer, or a pin; a scan level; attestation conditions),
 * and a mode: {@code enforce} refuses a model that fails, {@code warn} verifies, reports loudly and
 * lets it through. The first rule whose pattern covers a source decides for it; a source no rule
 * covers is refused (in either mode: a policy that does not name a source does not trust it).
 *
 * <p>The document is JSON ({@code docs/schemas/policy.v1.json}; the command-line tool also reads it
 * from YAML): {@code {"version": 1, "mode": "enforce", "rules": [...]}}. Parsing is strict: an
 * unknown key, a wrong type, an unknown level, a malformed pin or condition, a pattern with a
 * wildcard anywhere but at its end, a rule with both or neither of {@code trust} and {@code pin}
 * are refused with the file and the place named; the file is at most {@link #MAX_BYTES}, at most
 * {@link #MAX_RULES} rules of at most {@link #MAX_SOURCES} patterns, strings at most {@link
 * #MAX_TEXT} characters. File names in it are resolved against the policy file's directory.
 */
public final class ModelPolicy {
  /** What a failed rule does. */
  public enum Mode {
    /** The model is refused (exit code 1). */
    ENFORCE,
    /** The failure is reported on standard error and the command succeeds. */
    WARN;

    static Mode parse(String text, String where) {
      return switch (text) {
        case "enforce" -> ENFORCE;
        case "warn" -> WARN;
        default -> throw new IllegalArgumentException(where + " must be \"enforce\" or \"warn\"");
      };
    }

    /** The word the policy file uses. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The largest policy file read. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** The most rules. */
  public static final int MAX_RULES = 1000;

  /** The most source patterns of one rule. */
  public static final int MAX_SOURCES = 256;

  /** The longest string. */
  public static final int MAX_TEXT = 4096;

  /** The scan levels, lowest first. */
  static final List<String> LEVELS = List.of("info", "low", "medium", "high", "critical");

  private static final Set<String> TOP = Set.of("version", "mode", "rules");
  private static final Set<String> RULE =
      Set.of("name", "sources", "trust", "pin", "scan", "require", "claims", "mode");
  private static final Set<String> TRUST = Set.of("publicKey", "trustAnchors", "keyless");
  private static final Set<String> KEYLESS = Set.of("identity", "issuer", "trustedRoot");

  private final Path file;
  private final Mode mode;
  private final List<PolicyRule> rules;

  private ModelPolicy(Path file, Mode mode, List<PolicyRule> rules) {
    this.file = file;
    this.mode = mode;
    this.rules = List.copyOf(rules);
  }

  /** How a policy document's bytes become a tree (JSON here; the command-line tool adds YAML). */
  @FunctionalInterface
  public interface Syntax {
    /** The document's tree; fails with an exception whose message says why. */
    JsonNode tree(byte[] bytes) throws IOException;
  }

  /**
   * Reads a JSON policy file.
   *
   * @throws InvalidInputException when it is not a valid policy (the reason names the place)
   * @throws ModelIoException when it cannot be read
   */
  public static ModelPolicy read(Path file) throws ModelsealException {
    return read(file, "policy", StrictJson::parseObject);
  }

  /**
   * Reads a policy file of another syntax, bounded as {@link #read(Path)}; {@code what} names it in
   * the error ({@code "YAML policy"}: "not a YAML policy: ...").
   */
  public static ModelPolicy read(Path file, String what, Syntax syntax) throws ModelsealException {
    byte[] bytes;
    try {
      long size = RegularFiles.requireRegular(file);
      if (size > MAX_BYTES) {
        throw new InvalidInputException(file, "larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new InvalidInputException(file, "larger than " + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = syntax.tree(bytes);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file, "not a " + what + ": " + e.getMessage());
    }
    return of(root, file);
  }

  /**
   * The policy in {@code root}, a document already parsed (from JSON or YAML) into a tree; file
   * names are resolved against {@code file}'s directory.
   *
   * @throws InvalidInputException when it is not a valid policy
   */
  public static ModelPolicy of(JsonNode root, Path file) throws InvalidInputException {
    try {
      return parse(root, file);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file, e.getMessage());
    }
  }

  private static ModelPolicy parse(JsonNode root, Path file) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("a policy is an object with version, mode and rules");
    }
    StrictJson.onlyFields(root, TOP, "the policy");
    JsonNode version = root.get("version");
    if (version == null || !version.isIntegralNumber() || version.intValue() != 1) {
      throw new IllegalArgumentException("version must be 1");
    }
    Mode mode = Mode.parse(text(root, "mode", "the policy"), "mode");
    JsonNode list = StrictJson.array(root, "rules", "the policy");
    if (list.isEmpty() || list.size() > MAX_RULES) {
      throw new IllegalArgumentException("rules must hold 1 to " + MAX_RULES + " rules");
    }
    Path dir = file == null ? null : file.toAbsolutePath().getParent();
    List<PolicyRule> rules = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      rules.add(rule(list.get(i), "rules[" + i + "]", mode, dir));
    }
    return new ModelPolicy(file, mode, rules);
  }

  private static PolicyRule rule(JsonNode r, String where, Mode policyMode, Path dir) {
    if (!r.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    StrictJson.onlyFields(r, RULE, where);
    String name = r.has("name") ? text(r, "name", where) : where;
    List<SourcePattern> sources = new ArrayList<>();
    JsonNode s = StrictJson.array(r, "sources", where);
    if (s.isEmpty() || s.size() > MAX_SOURCES) {
      throw new IllegalArgumentException(where + ".sources must hold 1 to " + MAX_SOURCES);
    }
    for (int i = 0; i < s.size(); i++) {
      String at = where + ".sources[" + i + "]";
      if (!s.get(i).isTextual()) {
        throw new IllegalArgumentException(at + " must be a string");
      }
      try {
        sources.add(SourcePattern.parse(bounded(s.get(i).textValue(), at)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + " " + e.getMessage());
      }
    }
    if (r.has("trust") == r.has("pin")) {
      throw new IllegalArgumentException(where + " needs exactly one of trust and pin");
    }
    PolicyTrust trust =
        r.has("trust") ? trust(StrictJson.object(r, "trust", where), where, dir) : null;
    String pin = null;
    if (r.has("pin")) {
      pin = text(r, "pin", where);
      if (!PinDigest.looksLikePin(pin)) {
        throw new IllegalArgumentException(
            where + ".pin must be a pin:v1:sha256:<64 hex> (the second line of 'modelseal hash')");
      }
      PinDigest.parse(pin);
    }
    String scan = null;
    if (r.has("scan")) {
      scan = text(r, "scan", where);
      if (!LEVELS.contains(scan)) {
        throw new IllegalArgumentException(where + ".scan must be one of " + LEVELS);
      }
    }
    List<String> require = StrictJson.texts(r, "require", where);
    for (int i = 0; i < require.size(); i++) {
      try {
        Requirement.parse(bounded(require.get(i), where + ".require[" + i + "]"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".require[" + i + "]: " + e.getMessage());
      }
    }
    Path claims = null;
    if (r.has("claims")) {
      claims = path(text(r, "claims", where), where + ".claims", null);
    }
    if (!require.isEmpty() && !(trust instanceof PolicyTrust.PublicKeyFile)) {
      throw new IllegalArgumentException(
          where
              + ".require needs trust.publicKey (attestations are verified with the rule's"
              + " signer's key)");
    }
    Mode mode = r.has("mode") ? Mode.parse(text(r, "mode", where), where + ".mode") : policyMode;
    return new PolicyRule(name, sources, trust, pin, scan, require, claims, mode);
  }

  private static PolicyTrust trust(JsonNode t, String where, Path dir) {
    String at = where + ".trust";
    StrictJson.onlyFields(t, TRUST, at);
    if (t.size() != 1) {
      throw new IllegalArgumentException(at + " needs exactly one of " + TRUST);
    }
    if (t.has("publicKey")) {
      return new PolicyTrust.PublicKeyFile(path(text(t, "publicKey", at), at + ".publicKey", dir));
    }
    if (t.has("trustAnchors")) {
      List<String> files = StrictJson.texts(t, "trustAnchors", at);
      if (files.isEmpty() || files.size() > MAX_SOURCES) {
        throw new IllegalArgumentException(at + ".trustAnchors must hold 1 to " + MAX_SOURCES);
      }
      List<Path> paths = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        paths.add(path(files.get(i), at + ".trustAnchors[" + i + "]", dir));
      }
      return new PolicyTrust.TrustAnchors(paths);
    }
    JsonNode k = StrictJson.object(t, "keyless", at);
    StrictJson.onlyFields(k, KEYLESS, at + ".keyless");
    return new PolicyTrust.Keyless(
        path(text(k, "trustedRoot", at + ".keyless"), at + ".keyless.trustedRoot", dir),
        text(k, "identity", at + ".keyless"),
        text(k, "issuer", at + ".keyless"));
  }

  private static String text(JsonNode node, String name, String where) {
    return bounded(StrictJson.text(node, name, where), where + "." + name);
  }

  private static String bounded(String s, String where) {
    if (s.length() > MAX_TEXT) {
      throw new IllegalArgumentException(where + " is longer than " + MAX_TEXT + " characters");
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(where + " is empty");
    }
    return s;
  }

  private static Path path(String text, String where, Path dir) {
    try {
      Path p = Path.of(text);
      return dir == null || p.isAbsolute() ? p : dir.resolve(p).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(where + " is not a file name");
    }
  }

  /** The policy file (null for a policy made from a tree without one). */
  public Path file() {
    return file;
  }

  /** The policy's mode (a rule may set its own). */
  public Mode mode() {
    return mode;
  }

  /** The rules, in file order. */
  public List<PolicyRule> rules() {
    return rules;
  }

  /**
   * The rule that decides for {@code source} (an {@code oci://} or {@code s3://} URI as typed, or a
   * model's absolute path): the first whose pattern covers it; empty when none does.
   */
  public Optional<PolicyRule> ruleFor(String source) {
    for (PolicyRule r : rules) {
      if (r.covers(source)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
