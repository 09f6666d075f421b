package dev.modelseal.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code pull} options that {@code storage-initializer} takes from environment variables, for
 * containers whose arguments are fixed ({@code SRC DEST} under KServe). Only names, no parsing:
 * every value becomes one {@code --option=value} argument of {@code pull}, which validates it like
 * one typed on a command line. An option given on the command line wins: when any trust or
 * expectation option is there, none of the trust variables is read (never a mix of two trust
 * configurations); transport variables are skipped one by one.
 */
final class PullEnvironment {
  /** The signer's public key (PEM): {@code --public-key}. */
  static final String PUBLIC_KEY = "MODELSEAL_PUBLIC_KEY";

  /** Trust anchors (PEM), several separated by {@code :}: {@code --trust-anchor} each. */
  static final String TRUST_ANCHOR = "MODELSEAL_TRUST_ANCHOR";

  /** Keyless: Sigstore {@code trusted_root.json}: {@code --trusted-root}. */
  static final String TRUSTED_ROOT = "MODELSEAL_TRUSTED_ROOT";

  /** Keyless: the signer's identity: {@code --identity}. */
  static final String IDENTITY = "MODELSEAL_IDENTITY";

  /** Keyless: the identity's OIDC issuer: {@code --issuer}. */
  static final String ISSUER = "MODELSEAL_ISSUER";

  /** A signature file or {@code s3://} object: {@code --signature}. */
  static final String SIGNATURE = "MODELSEAL_SIGNATURE";

  /** A pin {@code pin:v1:sha256:HEX}: {@code --digest}. */
  static final String DIGEST = "MODELSEAL_DIGEST";

  /** A lock file: {@code --lock}. */
  static final String LOCK = "MODELSEAL_LOCK";

  /** A deploy policy file: {@code --policy} (where {@code pull} has it; else refused). */
  static final String POLICY_FILE = "MODELSEAL_POLICY_FILE";

  /** A scan level ({@code low}, {@code medium}, ...), or {@code true} for the default. */
  static final String SCAN = "MODELSEAL_SCAN";

  /** {@code true}: {@code --plain-http} for {@code oci://}. */
  static final String PLAIN_HTTP = "MODELSEAL_PLAIN_HTTP";

  /** An S3-compatible endpoint URL: {@code --endpoint} with {@code --path-style}. */
  static final String S3_ENDPOINT = "MODELSEAL_S3_ENDPOINT";

  /** KServe's S3 endpoint ({@code host:port}, no scheme), used when the one above is not set. */
  static final String KSERVE_S3_ENDPOINT = "S3_ENDPOINT";

  /** KServe's {@code 0} for plain HTTP to {@link #KSERVE_S3_ENDPOINT}. */
  static final String KSERVE_S3_USE_HTTPS = "S3_USE_HTTPS";

  /** Every option that says whom to trust or what to expect (one configuration, never mixed). */
  static final Set<String> TRUST_OPTIONS =
      Set.of(
          "--public-key",
          "--trust-anchor",
          "--trusted-root",
          "--identity",
          "--issuer",
          "--signature",
          "--digest",
          "--lock",
          "--policy");

  private PullEnvironment() {}

  /**
   * The {@code pull} arguments from {@code env}, leaving out what {@code given} (the options on the
   * command line) already says.
   *
   * @param given true for an option name present on the command line
   * @param policySupported whether this build's {@code pull} has {@code --policy}
   * @throws IllegalArgumentException when {@link #POLICY_FILE} is set and {@code --policy} is not
   *     supported (refusing is the only safe answer: the policy would be ignored)
   */
  static List<String> arguments(
      Map<String, String> env, Predicate<String> given, boolean policySupported) {
    List<String> a = new ArrayList<>();
    if (TRUST_OPTIONS.stream().noneMatch(given)) {
      String policy = value(env, POLICY_FILE);
      if (policy != null && !policySupported) {
        throw new IllegalArgumentException(
            POLICY_FILE + " is set, but this modelseal has no --policy; refusing to ignore it");
      }
      add(a, "--policy", policy);
      add(a, "--public-key", value(env, PUBLIC_KEY));
      String anchors = value(env, TRUST_ANCHOR);
      if (anchors != null) {
        for (String p : split(anchors)) {
          add(a, "--trust-anchor", p);
        }
      }
      add(a, "--trusted-root", value(env, TRUSTED_ROOT));
      add(a, "--identity", value(env, IDENTITY));
      add(a, "--issuer", value(env, ISSUER));
      add(a, "--signature", value(env, SIGNATURE));
      add(a, "--digest", value(env, DIGEST));
      add(a, "--lock", value(env, LOCK));
    }
    String scan = value(env, SCAN);
    if (scan != null && !given.test("--scan") && !"false".equals(scan)) {
      a.add("true".equals(scan) ? "--scan" : "--scan=" + scan);
    }
    if ("true".equals(value(env, PLAIN_HTTP)) && !given.test("--plain-http")) {
      a.add("--plain-http");
    }
    String endpoint = endpoint(env);
    if (endpoint != null && !given.test("--endpoint")) {
      a.add("--endpoint=" + endpoint);
      if (!given.test("--path-style")) {
        a.add("--path-style");
      }
    }
    return a;
  }

  /** The names of every variable read, for the help text and the docs. */
  static List<String> names() {
    return List.of(
        PUBLIC_KEY,
        TRUST_ANCHOR,
        TRUSTED_ROOT,
        IDENTITY,
        ISSUER,
        SIGNATURE,
        DIGEST,
        LOCK,
        POLICY_FILE,
        SCAN,
        PLAIN_HTTP,
        S3_ENDPOINT,
        KSERVE_S3_ENDPOINT,
        KSERVE_S3_USE_HTTPS);
  }

  private static String endpoint(Map<String, String> env) {
    String own = value(env, S3_ENDPOINT);
    if (own != null) {
      return own;
    }
    String kserve = value(env, KSERVE_S3_ENDPOINT);
    if (kserve == null) {
      return null;
    }
    if (kserve.startsWith("http://") || kserve.startsWith("https://")) {
      return kserve;
    }
    return ("0".equals(value(env, KSERVE_S3_USE_HTTPS)) ? "http://" : "https://") + kserve;
  }

  /** The variable's value, or null when unset or empty (Kubernetes writes unset as empty). */
  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static void add(List<String> a, String option, String value) {
    if (value != null) {
      a.add(option + "=" + value); // one token: a value starting with '-' stays a value
    }
  }

  private static List<String> split(String paths) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start <= paths.length()) {
      int colon = paths.indexOf(':', start);
      int end = colon < 0 ? paths.length() : colon;
      if (end > start) {
        out.add(paths.substring(start, end));
      }
      start = end + 1;
    }
    return out;
  }
}
